namespace LabPortal.Sandbox.Admin;

/// <summary>Body of <c>GET /_sandbox/admin/status</c>: where the sandbox listens and what it holds.</summary>
public sealed record SandboxAdminStatus(Uri Api, Uri DataPlane, int Accounts, double TimeScale);
