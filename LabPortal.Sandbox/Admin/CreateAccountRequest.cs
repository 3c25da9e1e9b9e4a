namespace LabPortal.Sandbox.Admin;

/// <summary>Body of <c>POST /_sandbox/admin/accounts</c>.</summary>
public sealed record CreateAccountRequest(string Label);
