using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace LabPortal.Tests.Sandbox;

/// <summary>
/// A minimal SigV4 header signer for tests (POST form bodies to "/"), written from the IAM user
/// guide independently of the sandbox's verifier so the two check each other.
/// </summary>
internal static class TestSigV4Signer
{
    public static void Sign(HttpRequestMessage request, byte[] body, string accessKey, string secret, string region, string service, DateTimeOffset now)
    {
        var amzDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        var host = request.RequestUri!.Authority;
        request.Headers.Host = host;
        request.Headers.Add("X-Amz-Date", amzDate);
        var contentType = request.Content?.Headers.ContentType?.ToString() ?? string.Empty;
        var payloadHash = Hex(SHA256.HashData(body));
        var path = request.RequestUri.AbsolutePath;
        var query = request.RequestUri.Query.TrimStart('?');
        var canonical = string.Join('\n',
            request.Method.Method,
            path,
            query,
            $"content-type:{contentType}\nhost:{host}\nx-amz-date:{amzDate}\n",
            "content-type;host;x-amz-date",
            payloadHash);
        var scope = $"{date}/{region}/{service}/aws4_request";
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var key = Hmac(Hmac(Hmac(Hmac(Encoding.UTF8.GetBytes("AWS4" + secret), date), region), service), "aws4_request");
        var signature = Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
        request.Headers.TryAddWithoutValidation(
            "Authorization",
            $"AWS4-HMAC-SHA256 Credential={accessKey}/{scope}, SignedHeaders=content-type;host;x-amz-date, Signature={signature}");
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
