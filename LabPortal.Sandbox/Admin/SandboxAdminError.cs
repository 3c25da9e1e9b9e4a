namespace LabPortal.Sandbox.Admin;

/// <summary>Body of every refusal of the admin API: a short code and a sentence saying what to change.</summary>
public sealed record SandboxAdminError(string Code, string Message);
