using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace LabPortal.Aws.Core;

/// <summary>
/// AWS Signature Version 4, written as pure functions so the published test vectors exercise it:
/// canonical request, string to sign, signing key and signature.
/// See <see href="https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html">Create a signed AWS API request</see>.
/// </summary>
public static class SigV4Signer
{
    /// <summary>The algorithm name in the string to sign and the Authorization header.</summary>
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>
    /// Signs a request. <paramref name="request"/> must already carry every header to be signed
    /// (at least <c>host</c>); <c>x-amz-date</c> and, for temporary credentials,
    /// <c>x-amz-security-token</c> are added to the returned header set.
    /// </summary>
    /// <param name="request">Method, path, query, headers and payload.</param>
    /// <param name="credentials">Access key, secret key and optional session token.</param>
    /// <param name="region">The signing region (<c>us-east-1</c>).</param>
    /// <param name="service">The signing service name (<c>ec2</c>, <c>elasticloadbalancing</c>).</param>
    /// <param name="time">The signing time (UTC is used).</param>
    /// <returns>Every intermediate value and the headers to put on the wire.</returns>
    public static SigV4Result Sign(SigV4Request request, SigV4Credentials credentials, string region, string service, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(credentials);
        var utc = time.ToUniversalTime();
        var amzDate = utc.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = utc.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

        var headers = new List<KeyValuePair<string, string>>(request.Headers)
        {
            new("X-Amz-Date", amzDate),
        };
        if (!string.IsNullOrEmpty(credentials.SessionToken))
        {
            headers.Add(new("X-Amz-Security-Token", credentials.SessionToken));
        }

        var (canonicalHeaders, signedHeaders) = CanonicalHeaders(headers);
        var canonicalRequest = string.Join('\n',
            request.Method.ToUpperInvariant(),
            CanonicalUri(request.Path),
            CanonicalQueryString(request.Query),
            canonicalHeaders,
            signedHeaders,
            HexSha256(request.Payload.Span));

        var scope = $"{date}/{region}/{service}/aws4_request";
        var stringToSign = string.Join('\n', Algorithm, amzDate, scope, HexSha256(Encoding.UTF8.GetBytes(canonicalRequest)));
        var key = SigningKey(credentials.SecretKey, date, region, service);
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
        var authorization = $"{Algorithm} Credential={credentials.AccessKey}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
        headers.Add(new("Authorization", authorization));
        return new SigV4Result(canonicalRequest, stringToSign, signature, authorization, headers);
    }

    /// <summary>Derives the signing key: HMAC chain of "AWS4"+secret, date, region, service, "aws4_request".</summary>
    /// <param name="secretKey">The secret access key.</param>
    /// <param name="date">The date as <c>yyyyMMdd</c>.</param>
    /// <param name="region">The signing region.</param>
    /// <param name="service">The signing service name.</param>
    /// <returns>The 32-byte signing key.</returns>
    public static byte[] SigningKey(string secretKey, string date, string region, string service)
    {
        ArgumentNullException.ThrowIfNull(secretKey);
        var kDate = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secretKey), Encoding.UTF8.GetBytes(date));
        var kRegion = HMACSHA256.HashData(kDate, Encoding.UTF8.GetBytes(region));
        var kService = HMACSHA256.HashData(kRegion, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(kService, "aws4_request"u8);
    }

    /// <summary>RFC 3986 percent-encoding as SigV4 requires (unreserved: A-Z a-z 0-9 - _ . ~).</summary>
    /// <param name="value">The text to encode (UTF-8).</param>
    /// <returns>The encoded text with upper-case hex digits.</returns>
    public static string UriEncode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sb = new StringBuilder(value.Length + 8);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.' or '~')
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    private static string CanonicalUri(string path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "/";
        }

        // Each segment is encoded once more, as every AWS service but S3 expects.
        var segments = path.Split('/').Select(s => UriEncode(Uri.UnescapeDataString(s)));
        return string.Join('/', segments);
    }

    private static string CanonicalQueryString(IReadOnlyList<KeyValuePair<string, string>> query)
    {
        return string.Join('&', query
            .Select(p => (Key: UriEncode(p.Key), Value: UriEncode(p.Value)))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Key + "=" + p.Value));
    }

    private static (string Canonical, string Signed) CanonicalHeaders(IEnumerable<KeyValuePair<string, string>> headers)
    {
        var grouped = headers
            .GroupBy(h => h.Key.ToLowerInvariant())
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Name: g.Key, Value: string.Join(',', g.Select(h => CollapseSpaces(h.Value)))))
            .ToList();
        var canonical = string.Concat(grouped.Select(h => h.Name + ":" + h.Value + "\n"));
        var signed = string.Join(';', grouped.Select(h => h.Name));
        return (canonical, signed);
    }

    private static string CollapseSpaces(string value)
    {
        var trimmed = value.Trim();
        var sb = new StringBuilder(trimmed.Length);
        var previousSpace = false;
        foreach (var c in trimmed)
        {
            if (c == ' ')
            {
                if (!previousSpace)
                {
                    sb.Append(c);
                }

                previousSpace = true;
            }
            else
            {
                sb.Append(c);
                previousSpace = false;
            }
        }

        return sb.ToString();
    }

    private static string HexSha256(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));
}
