using System.Text;
using System.Text.RegularExpressions;
using LabPortal.Sandbox.Accounts;
using LabPortal.Sandbox.Core;
using LabPortal.Sandbox.Wire.Validation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LabPortal.Sandbox.Wire.Gateway;

/// <summary>
/// The API port's only request handler: reads the SigV4 credential scope to choose the service
/// (aws-behaviour.md 4.4), has <see cref="ApiAuthenticator"/> verify the signature against the
/// account's secret and <see cref="ApiRequestReader"/> parse the protocol's parameters, dispatches to
/// the service's handler and writes the envelope. Every failure becomes an AWS error in the
/// service's own format; a 500 only for a genuine bug.
/// </summary>
internal sealed partial class ApiGateway
{
    /// <summary>Query bodies are small; AWS rejects oversized ones too. User data (16 KiB) fits many times.</summary>
    public const int MaxBodyBytes = ApiRequestReader.MaxBodyBytes;

    private const string Ec2Namespace = "http://ec2.amazonaws.com/doc/2016-11-15/";

    private readonly Dictionary<string, ApiService> _services;
    private readonly SandboxAccountStore _accounts;
    private readonly ApiAuthenticator _authenticator;
    private readonly ApiRateLimiter _rateLimiter;
    private readonly bool _enforceRateLimits;
    private readonly SandboxMetrics _metrics;
    private readonly ILogger<ApiGateway> _logger;

    public ApiGateway(
        IEnumerable<ApiService> services,
        SandboxAccountStore accounts,
        ApiAuthenticator authenticator,
        ApiRateLimiter rateLimiter,
        IOptions<SandboxOptions> options,
        SandboxMetrics metrics,
        ILogger<ApiGateway> logger)
    {
        // A later registration for the same signing name wins, so a test can swap a service out.
        _services = new Dictionary<string, ApiService>(StringComparer.Ordinal);
        foreach (var service in services)
        {
            _services[service.SigningName] = service;
        }

        _accounts = accounts;
        _authenticator = authenticator;
        _rateLimiter = rateLimiter;
        _enforceRateLimits = options.Value.EnforceRateLimits;
        _metrics = metrics;
        _logger = logger;
    }

    public async Task HandleAsync(HttpContext context)
    {
        var requestId = Guid.NewGuid().ToString();
        var protocol = WireProtocol.Ec2;
        var xmlNamespace = Ec2Namespace;
        try
        {
            // Errors are written in the protocol of the service the request targets from the first moment
            // that service is known: X-Amz-Target or a JSON content type first, then the Query Version,
            // then the credential scope. So an SSM call with a broken signature still gets JSON an SDK reads.
            var target = TargetFromHeaders(context.Request);
            (protocol, xmlNamespace) = ProtocolOf(target);
            var body = await ApiRequestReader.ReadBodyAsync(context);
            target ??= TargetFromVersion(context.Request, body);
            (protocol, xmlNamespace) = ProtocolOf(target);

            SigV4Request? auth;
            try
            {
                auth = SigV4Request.Parse(context.Request);
            }
            catch (FormatException ex)
            {
                target ??= Find(SigV4Request.GuessService(context.Request));
                (protocol, xmlNamespace) = ProtocolOf(target);
                throw ApiAuthErrors.IncompleteSignature(protocol, ex.Message);
            }

            if (auth is null)
            {
                throw ApiAuthErrors.MissingAuthentication(protocol);
            }

            var service = Find(auth.Service);
            if (target is not null && service != target)
            {
                // AWS answers a request signed for another service at that service's endpoint this way.
                throw ApiAuthErrors.IncompleteSignature(protocol, $"Credential should be scoped to correct service: '{target.SigningName}'.");
            }

            (protocol, xmlNamespace) = ProtocolOf(service);
            if (service is null)
            {
                (protocol, xmlNamespace) = (WireProtocol.Query, string.Empty);
                throw new ApiException(
                    "InvalidAction",
                    $"The service '{QueryParameters.Shorten(auth.Service)}' is not available in this sandbox; it serves {string.Join(", ", _services.Keys.Order(StringComparer.Ordinal))}.");
            }

            if (!RegionName().IsMatch(auth.Region))
            {
                throw ApiAuthErrors.IncompleteSignature(protocol, $"Credential should be scoped to a valid region, not '{QueryParameters.Shorten(auth.Region)}'.");
            }

            var account = _authenticator.Authenticate(auth, context.Request, body, protocol);
            var request = ApiRequestReader.Read(context, service, account, auth.Region, body, requestId);
            if (!service.TryGetHandler(request.Action, out var handler))
            {
                throw service.UnknownOperation(request.Action);
            }

            // The model's constraints before the handler: bad types and bounds are the caller's 4xx,
            // never a handler's exception (docs/sandbox-differences.md, "Input validation").
            if (service.Protocol == WireProtocol.Json)
            {
                JsonModelValidator.Validate(service.SigningName, request.Action, request.Json);
            }
            else
            {
                QueryModelValidator.Validate(service.SigningName, request.Action, request.Parameters.Values);
            }

            // An account limited to some regions (the portal's class guardrails, an Organizations policy on
            // AWS) is denied everywhere else, with each protocol's access-denied code.
            if (_accounts.FindQuotas(account.AccountId)?.AllowedRegions is { } regions && !regions.Contains(auth.Region, StringComparer.Ordinal))
            {
                throw ApiAuthErrors.AccessDenied(service.Protocol, $"This account may only be used in {string.Join(", ", regions)}; {QueryParameters.Shorten(auth.Region)} is denied by the account's policy.");
            }

            // Counted once the action is known, so a caller cannot invent metric tags.
            _metrics.RecordCall(service.SigningName, request.Action, account.AccountId);

            if (_enforceRateLimits && !_rateLimiter.TryAcquire(account.AccountId, auth.Region, service.SigningName, service.RateLimitsFor(request)))
            {
                throw service.Throttled();
            }

            var result = await handler(request, context.RequestAborted);
            await WireWriter.WriteSuccessAsync(context.Response, service, request.Action, requestId, result);
        }
        catch (ApiException ex)
        {
            if (ex.StatusCode >= 500)
            {
                _logger.LogWarning(ex, "Sandbox API answered {Code} ({RequestId})", ex.Code, requestId);
            }

            await WriteErrorAsync(context, protocol, xmlNamespace, requestId, ex);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The caller went away; nothing to answer.
        }
        catch (BadHttpRequestException ex)
        {
            var error = new ApiException("InvalidRequest", QueryParameters.Shorten(ex.Message), ex.StatusCode);
            await WriteErrorAsync(context, protocol, xmlNamespace, requestId, error);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A genuine bug: log it with the request id the caller sees, answer the protocol's internal error.
            _logger.LogError(ex, "Sandbox API request {RequestId} failed", requestId);
            var error = protocol == WireProtocol.Ec2
                ? new ApiException("InternalError", "An internal error has occurred", 500)
                : new ApiException("InternalFailure", "The request processing has failed because of an unknown error, exception or failure.", 500);
            await WriteErrorAsync(context, protocol, xmlNamespace, requestId, error);
        }
    }

    private static async Task WriteErrorAsync(HttpContext context, WireProtocol protocol, string xmlNamespace, string requestId, ApiException error)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.Clear();
        await WireWriter.WriteErrorAsync(context.Response, protocol, xmlNamespace, requestId, error);
    }

    private ApiService? Find(string? signingName) =>
        signingName is not null && _services.TryGetValue(signingName, out var service) ? service : null;

    /// <summary>The JSON service named by <c>X-Amz-Target</c>, or the only JSON service when the content type is AWS JSON.</summary>
    private ApiService? TargetFromHeaders(HttpRequest request)
    {
        var target = request.Headers["X-Amz-Target"].ToString();
        var json = _services.Values.Where(s => s.JsonTargetPrefix is not null).ToList();
        if (target.Length > 0)
        {
            var named = json.FirstOrDefault(s => target.StartsWith(s.JsonTargetPrefix + ".", StringComparison.Ordinal));
            if (named is not null)
            {
                return named;
            }
        }

        var contentType = request.ContentType ?? string.Empty;
        return contentType.StartsWith("application/x-amz-json", StringComparison.OrdinalIgnoreCase) && json.Count == 1 ? json[0] : null;
    }

    /// <summary>The Query service whose API version the request's <c>Version</c> parameter names.</summary>
    private ApiService? TargetFromVersion(HttpRequest request, byte[] body)
    {
        var contentType = request.ContentType ?? string.Empty;
        var pairs = request.QueryString.HasValue ? request.QueryString.Value![1..] : string.Empty;
        if (body.Length > 0 && (contentType.Length == 0 || contentType.Contains("x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)))
        {
            pairs += "&" + Encoding.UTF8.GetString(body);
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        ApiRequestReader.AddPairs(parameters, pairs);
        if (!parameters.TryGetValue("Version", out var version))
        {
            return null;
        }

        // Two services could share an API version (a test's probe service does): the one the credential
        // scope names wins among them.
        var candidates = _services.Values.Where(s => s.JsonTargetPrefix is null && s.ApiVersion == version).ToList();
        var scoped = Find(SigV4Request.GuessService(request));
        return scoped is not null && candidates.Contains(scoped) ? scoped : candidates.FirstOrDefault();
    }

    private static (WireProtocol Protocol, string Namespace) ProtocolOf(ApiService? service) =>
        service is null ? (WireProtocol.Ec2, Ec2Namespace) : (service.Protocol, service.XmlNamespace);

    [GeneratedRegex(@"\A[a-z0-9]+(-[a-z0-9]+)*\z")]
    private static partial Regex RegionName();
}
