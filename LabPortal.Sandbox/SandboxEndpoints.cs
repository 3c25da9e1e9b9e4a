namespace LabPortal.Sandbox;

/// <summary>
/// The addresses the sandbox's servers really listen on, filled when they start (ports configured
/// as 0 are only known then). A singleton: read it after the host has started.
/// </summary>
public sealed class SandboxEndpoints
{
    private Uri? _api;
    private Uri? _dataPlane;

    /// <summary>The API endpoint for every service (pass it as <c>--endpoint-url</c> / <c>endpoint_url</c>).</summary>
    public Uri Api => _api ?? throw new InvalidOperationException("The sandbox has not started yet.");

    /// <summary>The data plane front (port 80 of every load balancer and instance, routed by Host header).</summary>
    public Uri DataPlane => _dataPlane ?? throw new InvalidOperationException("The sandbox has not started yet.");

    /// <summary>True while both servers listen.</summary>
    public bool IsListening { get; private set; }

    /// <summary>The URL a browser uses for a data-plane DNS name, e.g. an instance's public DNS name.</summary>
    public Uri DataPlaneUrlFor(string hostName) => new($"http://{hostName}:{DataPlane.Port}/");

    internal void SetListening(Uri api, Uri dataPlane)
    {
        _api = api;
        _dataPlane = dataPlane;
        IsListening = true;
    }

    internal void SetStopped() => IsListening = false;
}
