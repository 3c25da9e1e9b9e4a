using System.Text;
using System.Text.RegularExpressions;
using LabPortal.Sandbox.Accounts;
using LabPortal.Sandbox.Wire.Validation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LabPortal.Sandbox.Wire;

/// <summary>
/// The API port's only request handler: reads the SigV4 credential scope to choose the service
/// (aws-behaviour.md 4.4), verifies the signature against the account's secret, parses the
/// protocol's parameters, dispatches to the service's handler and writes the envelope. Every
/// failure becomes an AWS error in the service's own format; a 500 only for a genuine bug.
/// </summary>
internal sealed partial class ApiGateway
{
    /// <summary>Query bodies are small; AWS rejects oversized ones too. User data (16 KiB) fits many times.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    private const string Ec2Namespace = "http://ec2.amazonaws.com/doc/2016-11-15/";

    private readonly Dictionary<string, ApiService> _services;
    private readonly SandboxAccountStore _accounts;
    private readonly TimeProvider _time;
    private readonly ApiRateLimiter _rateLimiter;
    private readonly bool _enforceRateLimits;
    private readonly SandboxMetrics _metrics;
    private readonly ILogger<ApiGateway> _logger;

    public ApiGateway(
        IEnumerable<ApiService> services,
        SandboxAccountStore accounts,
        TimeProvider time,
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
        _time = time;
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
            var body = await ReadBodyAsync(context);
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
                throw IncompleteSignature(protocol, ex.Message);
            }

            if (auth is null)
            {
                throw MissingAuthentication(protocol);
            }

            var service = Find(auth.Service);
            if (target is not null && service != target)
            {
                // AWS answers a request signed for another service at that service's endpoint this way.
                throw IncompleteSignature(protocol, $"Credential should be scoped to correct service: '{target.SigningName}'.");
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
                throw IncompleteSignature(protocol, $"Credential should be scoped to a valid region, not '{QueryParameters.Shorten(auth.Region)}'.");
            }

            var account = Authenticate(auth, context.Request, body, protocol);
            var request = BuildRequest(context, service, account, auth.Region, body, requestId);
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
                throw AccessDenied(service.Protocol, $"This account may only be used in {string.Join(", ", regions)}; {QueryParameters.Shorten(auth.Region)} is denied by the account's policy.");
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

    private SandboxAccount Authenticate(SigV4Request auth, HttpRequest request, byte[] body, WireProtocol protocol)
    {
        var account = _accounts.FindByAccessKey(auth.AccessKeyId) ?? throw UnknownAccessKey(protocol);
        if (!SigV4Verifier.TryParseAmzDate(auth.AmzDate, out var signedAt) || !auth.AmzDate.StartsWith(auth.ScopeDate, StringComparison.Ordinal))
        {
            throw IncompleteSignature(protocol, $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{QueryParameters.Shorten(auth.AmzDate)}'");
        }

        var now = _time.GetUtcNow();
        var expired = auth.Presigned
            ? now > signedAt.AddSeconds(auth.ExpiresSeconds) || signedAt - now > SigV4Verifier.MaxClockSkew
            : (now - signedAt).Duration() > SigV4Verifier.MaxClockSkew;
        if (expired)
        {
            throw Expired(protocol, auth.AmzDate);
        }

        if (!SigV4Verifier.IsValid(auth, account.SecretAccessKey, request, body))
        {
            throw BadSignature(protocol);
        }

        if (account.SessionToken is { } token)
        {
            // Temporary credentials (STS AssumeRole) are good only with their token, and only until they expire.
            var sent = request.Headers["X-Amz-Security-Token"].ToString();
            if (sent.Length == 0)
            {
                sent = request.Query["X-Amz-Security-Token"].ToString();
            }

            if (!string.Equals(sent, token, StringComparison.Ordinal))
            {
                throw UnknownAccessKey(protocol);
            }

            if (now >= account.SessionExpiresAt)
            {
                throw SessionExpired(protocol);
            }
        }

        return account;
    }

    private static ApiRequest BuildRequest(HttpContext context, ApiService service, SandboxAccount account, string region, byte[] body, string requestId)
    {
        if (service.Protocol == WireProtocol.Json)
        {
            var target = context.Request.Headers["X-Amz-Target"].ToString();
            var prefix = service.JsonTargetPrefix + ".";
            var action = target.StartsWith(prefix, StringComparison.Ordinal) ? target[prefix.Length..] : string.Empty;
            if (action.Length == 0)
            {
                throw service.UnknownOperation(target);
            }

            return new ApiRequest
            {
                AccountId = account.AccountId,
                Region = region,
                Action = action,
                Parameters = new QueryParameters(new Dictionary<string, string>(), WireProtocol.Json),
                Json = ParseJsonBody(body),
                RequestId = requestId,
                HttpContext = context,
            };
        }

        var parameters = ReadParameters(context.Request, body, service.Protocol);
        if (!parameters.TryGetValue("Action", out var name) || name.Length == 0)
        {
            throw new ApiException("MissingAction", "The request must contain the parameter Action");
        }

        CheckVersion(service, name, parameters);
        if (service.Protocol == WireProtocol.Ec2)
        {
            Ec2FilterTable.Normalize(name, parameters);
        }

        return new ApiRequest
        {
            AccountId = account.AccountId,
            Region = region,
            Action = name,
            Parameters = new QueryParameters(parameters, service.Protocol),
            RequestId = requestId,
            HttpContext = context,
        };
    }

    /// <summary>
    /// Every Query call names the API version it was written for; AWS refuses a missing one and one the
    /// service does not have (EC2 API reference, common client errors: MissingParameter, NoSuchVersion;
    /// the Query services answer InvalidAction "Could not find operation ... for version ...").
    /// </summary>
    private static void CheckVersion(ApiService service, string action, Dictionary<string, string> parameters)
    {
        if (!parameters.TryGetValue("Version", out var version) || version.Length == 0)
        {
            throw new ApiException("MissingParameter", "The request must contain the parameter Version");
        }

        if (version == service.ApiVersion)
        {
            return;
        }

        throw service.Protocol == WireProtocol.Ec2
            ? new ApiException("NoSuchVersion", $"The requested version ({QueryParameters.Shorten(version)}) of service AmazonEC2 does not exist")
            : new ApiException("InvalidAction", $"Could not find operation {QueryParameters.Shorten(action)} for version {QueryParameters.Shorten(version)}");
    }

    private static System.Text.Json.JsonElement ParseJsonBody(byte[] body)
    {
        JsonModelValidator.RequireUtf8(body);
        return WireWriter.ParseJson(body);
    }

    /// <summary>Query string plus form body (POST, as SDKs send; GET also works as on AWS), minus presigning parameters.</summary>
    private static Dictionary<string, string> ReadParameters(HttpRequest request, byte[] body, WireProtocol protocol)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (request.QueryString.HasValue)
        {
            AddPairs(parameters, request.QueryString.Value![1..]);
        }

        var contentType = request.ContentType ?? string.Empty;
        if (body.Length > 0 && (contentType.Length == 0 || contentType.Contains("x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)))
        {
            AddPairs(parameters, Encoding.UTF8.GetString(body));
        }

        foreach (var key in parameters.Keys.Where(k => k.StartsWith("X-Amz-", StringComparison.Ordinal)).ToList())
        {
            parameters.Remove(key);
        }

        // Characters XML 1.0 cannot carry could never be answered back (tags, names, errors), so they
        // are refused at the door, as AWS refuses them.
        foreach (var (key, value) in parameters)
        {
            if (!QueryParameters.IsXmlSafe(key) || !QueryParameters.IsXmlSafe(value))
            {
                throw protocol == WireProtocol.Ec2
                    ? new ApiException("InvalidParameterValue", $"Parameter {QueryParameters.Shorten(key)} contains characters that are not allowed.")
                    : new ApiException("ValidationError", $"Parameter {QueryParameters.Shorten(key)} contains characters that are not allowed.");
            }
        }

        return parameters;
    }

    private static void AddPairs(Dictionary<string, string> parameters, string encoded)
    {
        foreach (var pair in encoded.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Decode(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? string.Empty : Decode(pair[(eq + 1)..]);
            parameters[key] = value;
        }
    }

    private static string Decode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));

    private static async Task<byte[]> ReadBodyAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.ContentLength > MaxBodyBytes)
        {
            throw new ApiException("RequestEntityTooLarge", $"The request body is larger than {MaxBodyBytes} bytes.", 413);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw new ApiException("RequestEntityTooLarge", $"The request body is larger than {MaxBodyBytes} bytes.", 413);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
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
        AddPairs(parameters, pairs);
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

    // Authentication errors differ per protocol (EC2 API reference "Common client errors"; the
    // Query services' common errors; JSON services' *Exception codes), aws-behaviour.md 4.3.
    private static ApiException MissingAuthentication(WireProtocol protocol) => protocol switch
    {
        WireProtocol.Ec2 => new ApiException("MissingParameter", "The request must contain the parameter AWSAccessKeyId"),
        WireProtocol.Query => new ApiException("MissingAuthenticationToken", "Request is missing Authentication Token", 403),
        _ => new ApiException("MissingAuthenticationTokenException", "Missing Authentication Token"),
    };

    private static ApiException UnknownAccessKey(WireProtocol protocol) => protocol switch
    {
        WireProtocol.Ec2 => new ApiException("AuthFailure", "AWS was not able to validate the provided access credentials", 401),
        WireProtocol.Query => new ApiException("InvalidClientTokenId", "The security token included in the request is invalid.", 403),
        _ => new ApiException("UnrecognizedClientException", "The security token included in the request is invalid."),
    };

    private const string SignatureMismatch =
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

    private static ApiException BadSignature(WireProtocol protocol) => protocol switch
    {
        WireProtocol.Ec2 => new ApiException("AuthFailure", "AWS was not able to validate the provided access credentials", 401),
        WireProtocol.Query => new ApiException("SignatureDoesNotMatch", SignatureMismatch, 403),
        _ => new ApiException("InvalidSignatureException", SignatureMismatch),
    };

    private static ApiException IncompleteSignature(WireProtocol protocol, string message) => protocol switch
    {
        WireProtocol.Ec2 => new ApiException("AuthFailure", message, 401),
        WireProtocol.Query => new ApiException("IncompleteSignature", message),
        _ => new ApiException("IncompleteSignatureException", message),
    };

    private static ApiException SessionExpired(WireProtocol protocol) => protocol switch
    {
        WireProtocol.Ec2 => new ApiException("RequestExpired", "Request has expired."),
        WireProtocol.Query => new ApiException("ExpiredToken", "The security token included in the request is expired", 403),
        _ => new ApiException("ExpiredTokenException", "The security token included in the request is expired"),
    };

    private static ApiException Expired(WireProtocol protocol, string amzDate) => protocol switch
    {
        WireProtocol.Ec2 => new ApiException("RequestExpired", "Request has expired."),
        WireProtocol.Query => new ApiException("SignatureDoesNotMatch", $"Signature expired: {QueryParameters.Shorten(amzDate)} is now earlier or later than the allowed window.", 403),
        _ => new ApiException("InvalidSignatureException", $"Signature expired: {QueryParameters.Shorten(amzDate)} is now earlier or later than the allowed window."),
    };

    [GeneratedRegex(@"\A[a-z0-9]+(-[a-z0-9]+)*\z")]
    private static partial Regex RegionName();

    /// <summary>What AWS answers a call an explicit deny refuses (EC2 403 UnauthorizedOperation, Query 403 AccessDenied, JSON AccessDeniedException).</summary>
    internal static ApiException AccessDenied(WireProtocol protocol, string message) => protocol switch
    {
        WireProtocol.Ec2 => new ApiException("UnauthorizedOperation", "You are not authorized to perform this operation. " + message, 403),
        WireProtocol.Query => new ApiException("AccessDenied", "User is not authorized to perform this operation with an explicit deny in a service control policy. " + message, 403),
        _ => new ApiException("AccessDeniedException", "User is not authorized to perform this operation with an explicit deny in a service control policy. " + message),
    };
}
