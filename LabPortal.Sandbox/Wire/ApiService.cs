namespace LabPortal.Sandbox.Wire;

/// <summary>
/// A service of the sandbox's single API port: its SigV4 signing name (the credential scope's
/// service, aws-behaviour.md 4.4), wire protocol and a dispatch table of operations. A new service
/// derives from this, calls <see cref="Register"/> for each operation in its constructor and is
/// added with <c>services.AddSandboxApiService&lt;TService&gt;()</c>.
/// </summary>
public abstract class ApiService
{
    private readonly Dictionary<string, ApiHandler> _handlers = new(StringComparer.Ordinal);

    protected ApiService(string signingName, WireProtocol protocol, string xmlNamespace, string apiVersion, string? jsonTargetPrefix = null)
    {
        SigningName = signingName;
        Protocol = protocol;
        XmlNamespace = xmlNamespace;
        ApiVersion = apiVersion;
        JsonTargetPrefix = jsonTargetPrefix;
    }

    /// <summary>Credential-scope service name: <c>ec2</c>, <c>elasticloadbalancing</c>, <c>autoscaling</c>, <c>ssm</c>.</summary>
    public string SigningName { get; }

    public WireProtocol Protocol { get; }

    /// <summary>The model's <c>xmlNamespace</c> (EC2/Query); unused for JSON.</summary>
    public string XmlNamespace { get; }

    /// <summary>The model's <c>apiVersion</c>, the <c>Version</c> parameter of Query calls.</summary>
    public string ApiVersion { get; }

    /// <summary>JSON services: the <c>X-Amz-Target</c> prefix, e.g. <c>AmazonSSM</c>.</summary>
    public string? JsonTargetPrefix { get; }

    public IReadOnlyCollection<string> Actions => _handlers.Keys;

    public bool TryGetHandler(string action, out ApiHandler handler) => _handlers.TryGetValue(action, out handler!);

    protected void Register(string action, ApiHandler handler) => _handlers.Add(action, handler);

    /// <summary>
    /// The token buckets a call draws from when <c>Sandbox:EnforceRateLimits</c> is on (none by
    /// default). Override with AWS's published buckets for the service (aws-behaviour.md section 5).
    /// </summary>
    public virtual IReadOnlyList<RateLimit> RateLimitsFor(ApiRequest request) => [];

    /// <summary>The service's throttling answer: EC2 <c>RequestLimitExceeded</c> 503, Query <c>Throttling</c> 400, JSON <c>ThrottlingException</c> 400.</summary>
    public ApiException Throttled() => Protocol switch
    {
        WireProtocol.Ec2 => new ApiException("RequestLimitExceeded", "Request limit exceeded.", 503),
        WireProtocol.Query => new ApiException("Throttling", "Rate exceeded"),
        _ => new ApiException("ThrottlingException", "Rate exceeded"),
    };

    /// <summary>The service's answer to an operation it does not know (never a 500).</summary>
    public ApiException UnknownOperation(string action) => Protocol switch
    {
        // EC2 API reference, common client errors: "InvalidAction: The action or operation requested is not valid."
        WireProtocol.Ec2 => new ApiException("InvalidAction", $"The action {QueryParameters.Shorten(action)} is not valid for this web service."),
        WireProtocol.Query => new ApiException("InvalidAction", $"Could not find operation {QueryParameters.Shorten(action)} for version {ApiVersion}"),
        _ => new ApiException("UnknownOperationException", string.Empty),
    };
}
