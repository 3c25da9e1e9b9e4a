using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace LabPortal.Sandbox.Wire;

/// <summary>
/// Verifies SigV4 signatures the way AWS computes them (IAM user guide, "Create a signed AWS API
/// request"; botocore <c>auth.py</c> <c>SigV4Auth</c>): canonical request, string to sign, HMAC chain
/// <c>"AWS4"+secret → date → region → service → "aws4_request"</c>. Written for the sandbox alone:
/// the client library signs with its own code, so the two only meet on the wire.
/// </summary>
internal static class SigV4Verifier
{
    private const string UnsignedPayload = "UNSIGNED-PAYLOAD";

    /// <summary>AWS refuses requests whose X-Amz-Date is more than 15 minutes off (SigV4 docs, "Signature expired").</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(15);

    public static bool TryParseAmzDate(string amzDate, out DateTimeOffset value) =>
        DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);

    /// <summary>True when the request's signature is the one <paramref name="secretAccessKey"/> produces.</summary>
    public static bool IsValid(SigV4Request auth, string secretAccessKey, HttpRequest request, byte[] body)
    {
        var payloadHashes = PayloadHashes(auth, request, body);
        if (payloadHashes.Count == 0)
        {
            return false;
        }

        var key = SigningKey(secretAccessKey, auth.ScopeDate, auth.Region, auth.Service);
        var expected = Encoding.ASCII.GetBytes(auth.Signature.ToLowerInvariant());
        foreach (var query in CanonicalQueries(request, auth.Presigned))
        {
            foreach (var payloadHash in payloadHashes)
            {
                var canonical = CanonicalRequest(request, auth, query, payloadHash);
                var stringToSign = string.Join(
                    '\n',
                    SigV4Request.Algorithm,
                    auth.AmzDate,
                    auth.Scope,
                    Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))));
                var signature = Encoding.ASCII.GetBytes(Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign))));
                if (CryptographicOperations.FixedTimeEquals(signature, expected))
                {
                    return true;
                }
            }
        }

        return false;
    }

    public static byte[] SigningKey(string secret, string date, string region, string service)
    {
        var kDate = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secret), Encoding.UTF8.GetBytes(date));
        var kRegion = HMACSHA256.HashData(kDate, Encoding.UTF8.GetBytes(region));
        var kService = HMACSHA256.HashData(kRegion, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(kService, "aws4_request"u8.ToArray());
    }

    private static List<string> PayloadHashes(SigV4Request auth, HttpRequest request, byte[] body)
    {
        var actual = Hex(SHA256.HashData(body));
        if (auth.Presigned)
        {
            // Presigned URLs sign the constant instead of the payload (botocore SigV4QueryAuth.payload).
            return [UnsignedPayload, actual];
        }

        var declared = request.Headers["X-Amz-Content-SHA256"].ToString();
        if (declared.Length == 0)
        {
            return [actual];
        }

        if (declared == UnsignedPayload)
        {
            return [UnsignedPayload];
        }

        // A declared hash that is not the body's own is a tampered body: no candidate can match.
        return string.Equals(declared, actual, StringComparison.OrdinalIgnoreCase) ? [declared] : [];
    }

    private static string CanonicalRequest(HttpRequest request, SigV4Request auth, string canonicalQuery, string payloadHash)
    {
        var builder = new StringBuilder();
        builder.Append(request.Method.ToUpperInvariant()).Append('\n');
        builder.Append(CanonicalUri(request.Path.Value)).Append('\n');
        builder.Append(canonicalQuery).Append('\n');
        foreach (var name in auth.SignedHeaders.Order(StringComparer.Ordinal))
        {
            var values = request.Headers[name];
            builder.Append(name).Append(':')
                .Append(string.Join(',', values.Select(v => TrimAll(v ?? string.Empty))))
                .Append('\n');
        }

        builder.Append('\n');
        builder.Append(string.Join(';', auth.SignedHeaders.Order(StringComparer.Ordinal))).Append('\n');
        builder.Append(payloadHash);
        return builder.ToString();
    }

    private static string CanonicalUri(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "/";
        }

        // Non-S3 services URI-encode the normalized path, keeping '/' and '~' (botocore quote(path, safe='/~')).
        return Encode(path, keepSlash: true);
    }

    /// <summary>
    /// Two spellings of the canonical query: re-encoded per RFC 3986 (the SigV4 spec), and the raw
    /// pairs sorted as received (botocore's <c>_canonical_query_string_url</c>); either may be what the
    /// client signed.
    /// </summary>
    private static IEnumerable<string> CanonicalQueries(HttpRequest request, bool presigned)
    {
        var raw = request.QueryString.HasValue ? request.QueryString.Value![1..] : string.Empty;
        var pairs = raw.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair =>
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                return eq < 0 ? (Key: pair, Value: string.Empty) : (Key: pair[..eq], Value: pair[(eq + 1)..]);
            })
            .Where(p => !(presigned && p.Key == "X-Amz-Signature"))
            .ToList();

        var encoded = pairs
            .Select(p => (Key: Encode(Decode(p.Key), keepSlash: false), Value: Encode(Decode(p.Value), keepSlash: false)))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Key + "=" + p.Value);
        var first = string.Join('&', encoded);
        yield return first;

        var asReceived = string.Join('&', pairs
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Key + "=" + p.Value));
        if (asReceived != first)
        {
            yield return asReceived;
        }
    }

    private static string Decode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));

    /// <summary>RFC 3986 percent-encoding of everything except unreserved characters (and '/' in paths).</summary>
    private static string Encode(string value, bool keepSlash)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' || (keepSlash && c == '/'))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static string TrimAll(string value) =>
        string.Join(' ', value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
