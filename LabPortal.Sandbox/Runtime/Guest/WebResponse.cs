namespace LabPortal.Sandbox.Runtime.Guest;

/// <summary>What the instance's web server answers to one request.</summary>
internal sealed record WebResponse(int StatusCode, string Server, string ContentType, string Body, string? Location = null);
