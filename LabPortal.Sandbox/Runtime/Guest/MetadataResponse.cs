namespace LabPortal.Sandbox.Runtime.Guest;

/// <summary>One answer of the instance metadata service (status and body, as curl sees them).</summary>
internal sealed record MetadataResponse(int StatusCode, string Body);
