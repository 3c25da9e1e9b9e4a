using System.Net;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;

namespace LabPortal.Aws.Core;

/// <summary>
/// Reads AWS error bodies into <see cref="AwsServiceException"/>: the Query <c>ErrorResponse</c>,
/// EC2's <c>Response/Errors/Error</c> with <c>RequestID</c>, and JSON 1.1 <c>__type</c>/<c>message</c>.
/// </summary>
public static class AwsErrorParser
{
    /// <summary>Parses an error body.</summary>
    /// <param name="body">The response body.</param>
    /// <param name="status">The HTTP status.</param>
    /// <param name="headerRequestId">The request id from the headers, if any.</param>
    /// <returns>The exception to throw.</returns>
    public static AwsServiceException Parse(string body, HttpStatusCode status, string? headerRequestId)
    {
        var trimmed = body?.TrimStart() ?? string.Empty;
        try
        {
            if (trimmed.StartsWith('<'))
            {
                var root = XDocument.Parse(trimmed).Root!;
                var error = root.Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
                var requestId = root.Descendants().FirstOrDefault(e => e.Name.LocalName is "RequestId" or "RequestID")?.Value ?? headerRequestId;
                if (error is not null)
                {
                    return new AwsServiceException(
                        XmlRead.ReadString(error, "Code") ?? FallbackCode(status),
                        XmlRead.ReadString(error, "Message") ?? string.Empty,
                        requestId,
                        status);
                }
            }
            else if (trimmed.StartsWith('{'))
            {
                using var json = JsonDocument.Parse(trimmed);
                var type = json.RootElement.TryGetProperty("__type", out var t) ? t.GetString() : null;
                var message = json.RootElement.TryGetProperty("message", out var m) ? m.GetString()
                    : json.RootElement.TryGetProperty("Message", out var m2) ? m2.GetString() : null;
                if (type is not null)
                {
                    // "com.amazonaws.ssm#ParameterNotFound" -> "ParameterNotFound"
                    var code = type[(type.LastIndexOf('#') + 1)..];
                    var colon = code.IndexOf(':', StringComparison.Ordinal);
                    return new AwsServiceException(colon >= 0 ? code[..colon] : code, message ?? string.Empty, headerRequestId, status);
                }
            }
        }
        catch (XmlException)
        {
            // Not an AWS body (a proxy's error page): fall through to the status-based code.
        }
        catch (JsonException)
        {
            // Same as above for a broken JSON body.
        }

        var excerpt = trimmed.Length > 200 ? trimmed[..200] : trimmed;
        return new AwsServiceException(FallbackCode(status), excerpt, headerRequestId, status);
    }

    private static string FallbackCode(HttpStatusCode status) => "Http" + ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
