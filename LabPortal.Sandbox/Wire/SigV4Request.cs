using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace LabPortal.Sandbox.Wire;

/// <summary>
/// The SigV4 authentication a request carries, from the <c>Authorization</c> header or from a
/// presigned query string (<c>X-Amz-Algorithm</c>, <c>X-Amz-Credential</c>, ...). Only the parse:
/// <see cref="SigV4Verifier"/> checks the signature once the secret is known.
/// </summary>
internal sealed record SigV4Request(
    string AccessKeyId,
    string ScopeDate,
    string Region,
    string Service,
    IReadOnlyList<string> SignedHeaders,
    string Signature,
    string AmzDate,
    bool Presigned,
    int ExpiresSeconds)
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>Seven days: the longest a presigned URL may live.</summary>
    public const int MaxExpiresSeconds = 604800;

    /// <summary>The credential scope: <c>date/region/service/aws4_request</c>.</summary>
    public string Scope => $"{ScopeDate}/{Region}/{Service}/aws4_request";

    /// <summary>
    /// Reads the authentication of <paramref name="request"/>. Returns null when the request carries
    /// none; throws <see cref="FormatException"/> with a caller-facing message when it is malformed.
    /// </summary>
    public static SigV4Request? Parse(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.Length > 0)
        {
            return ParseHeader(header, request);
        }

        if (request.Query.TryGetValue("X-Amz-Algorithm", out var algorithm))
        {
            return ParsePresigned(algorithm.ToString(), request);
        }

        return null;
    }

    private static SigV4Request ParseHeader(string header, HttpRequest request)
    {
        if (!header.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            throw new FormatException($"Unsupported authorization type; only {Algorithm} is accepted.");
        }

        string? credential = null, signedHeaders = null, signature = null;
        foreach (var part in header[(Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            var value = part[(eq + 1)..];
            switch (part[..eq])
            {
                case "Credential": credential = value; break;
                case "SignedHeaders": signedHeaders = value; break;
                case "Signature": signature = value; break;
                default: break;
            }
        }

        if (credential is null || signedHeaders is null || signature is null)
        {
            throw new FormatException("Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.");
        }

        var amzDate = request.Headers["X-Amz-Date"].ToString();
        if (amzDate.Length == 0)
        {
            throw new FormatException("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }

        return Build(credential, signedHeaders, signature, amzDate, presigned: false, expires: 0);
    }

    private static SigV4Request ParsePresigned(string algorithm, HttpRequest request)
    {
        if (algorithm != Algorithm)
        {
            throw new FormatException($"Unsupported X-Amz-Algorithm; only {Algorithm} is accepted.");
        }

        var credential = request.Query["X-Amz-Credential"].ToString();
        var signedHeaders = request.Query["X-Amz-SignedHeaders"].ToString();
        var signature = request.Query["X-Amz-Signature"].ToString();
        var amzDate = request.Query["X-Amz-Date"].ToString();
        if (credential.Length == 0 || signedHeaders.Length == 0 || signature.Length == 0 || amzDate.Length == 0)
        {
            throw new FormatException("A presigned request requires X-Amz-Credential, X-Amz-SignedHeaders, X-Amz-Signature and X-Amz-Date.");
        }

        // SigV4QueryAuth's default when absent (botocore auth.py DEFAULT_EXPIRES). AWS caps a presigned
        // URL's life at seven days (SigV4 docs, "Authenticating requests: using query parameters":
        // X-Amz-Expires minimum 1, maximum 604800).
        var expires = 3600;
        if (request.Query.TryGetValue("X-Amz-Expires", out var rawExpires))
        {
            var text = rawExpires.ToString();
            if (!AsciiNumber.IsDigits(text) || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out expires) || expires < 1)
            {
                throw new FormatException($"X-Amz-Expires should be a number of seconds between 1 and {MaxExpiresSeconds}, not '{QueryParameters.Shorten(text)}'.");
            }

            if (expires > MaxExpiresSeconds)
            {
                throw new FormatException($"X-Amz-Expires must be less than a week (in seconds) that is {MaxExpiresSeconds}.");
            }
        }

        return Build(credential, signedHeaders, signature, amzDate, presigned: true, expires);
    }

    private static SigV4Request Build(string credential, string signedHeaders, string signature, string amzDate, bool presigned, int expires)
    {
        var scope = credential.Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request" || scope[0].Length == 0 || scope[2].Length == 0 || scope[3].Length == 0)
        {
            throw new FormatException($"Credential should be scoped to a valid region, service and terminated by 'aws4_request'. Got '{QueryParameters.Shorten(credential)}'.");
        }

        var headers = signedHeaders.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(h => h.Trim().ToLowerInvariant())
            .ToList();
        return new SigV4Request(scope[0], scope[1], scope[2], scope[3], headers, signature, amzDate, presigned, expires);
    }

    /// <summary>The service named by a credential scope that could not be fully parsed, so errors use the right envelope.</summary>
    public static string? GuessService(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        var credential = header.Contains("Credential=", StringComparison.Ordinal)
            ? header[(header.IndexOf("Credential=", StringComparison.Ordinal) + 11)..].Split(',')[0]
            : request.Query["X-Amz-Credential"].ToString();
        var parts = credential.Split('/');
        return parts.Length >= 4 ? parts[3] : null;
    }
}
