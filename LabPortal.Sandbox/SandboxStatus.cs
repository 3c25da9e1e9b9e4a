namespace LabPortal.Sandbox;

/// <summary>The read-only <c>/sandbox/status</c> document.</summary>
public sealed record SandboxStatus(bool Enabled, bool Listening, Uri? Api, Uri? DataPlane, int Accounts, double TimeScale);
