using System.Text;
using LabPortal.Sandbox.Accounts;
using LabPortal.Sandbox.Wire.Validation;
using Microsoft.AspNetCore.Http;

namespace LabPortal.Sandbox.Wire.Gateway;

/// <summary>
/// Reads an API request off the wire: the body (size-capped), the Query parameters (query string plus
/// form body) or the JSON body, the action and its API version, into an <see cref="ApiRequest"/>.
/// </summary>
internal static class ApiRequestReader
{
    /// <summary>Query bodies are small; AWS rejects oversized ones too. User data (16 KiB) fits many times.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    public static ApiRequest Read(HttpContext context, ApiService service, SandboxAccount account, string region, byte[] body, string requestId)
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

    public static void AddPairs(Dictionary<string, string> parameters, string encoded)
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

    public static async Task<byte[]> ReadBodyAsync(HttpContext context)
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
}
