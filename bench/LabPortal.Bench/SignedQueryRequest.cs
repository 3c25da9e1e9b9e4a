using System.Text;
using LabPortal.Aws.Core;

namespace LabPortal.Bench;

/// <summary>
/// One Query-protocol POST signed once with <see cref="SigV4Signer"/> (the project's own signer) and
/// then sent as is, many times: by wrk from its raw text, or by <see cref="HttpClient"/> for checks.
/// </summary>
internal sealed record SignedQueryRequest(string Service, string Action, string Body, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    public const string ContentType = "application/x-www-form-urlencoded; charset=utf-8";

    public static SignedQueryRequest Sign(
        Uri endpoint, string region, SigV4Credentials credentials, string service, string action, string version,
        IEnumerable<(string Name, string Value)> parameters, DateTimeOffset signingTime)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var all = new List<(string Name, string Value)> { ("Action", action), ("Version", version) };
        all.AddRange(parameters);
        var body = string.Join('&', all.Select(p => SigV4Signer.UriEncode(p.Name) + "=" + SigV4Signer.UriEncode(p.Value)));
        var unsigned = new SigV4Request(
            "POST",
            "/",
            [],
            [new("Host", endpoint.Authority), new("Content-Type", ContentType)],
            Encoding.UTF8.GetBytes(body));
        var signed = SigV4Signer.Sign(unsigned, credentials, region, service, signingTime);
        return new SignedQueryRequest(service, action, body, signed.Headers);
    }

    /// <summary>The complete HTTP/1.1 request as wrk writes it to the socket.</summary>
    public string ToRawHttp()
    {
        var sb = new StringBuilder("POST / HTTP/1.1\r\n");
        foreach (var (name, value) in Headers)
        {
            sb.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        sb.Append("Content-Length: ").Append(Encoding.UTF8.GetByteCount(Body)).Append("\r\n\r\n").Append(Body);
        return sb.ToString();
    }

    public HttpRequestMessage ToHttpRequest(Uri endpoint)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Body)) };
        foreach (var (name, value) in Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.Host = value;
            }
            else if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
            else
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return request;
    }
}
