using System.Net;
using System.Text;
using System.Xml.Linq;
using LabPortal.Sandbox.Accounts;

namespace LabPortal.Tests.Sandbox;

/// <summary>A signed Query-protocol caller for the sandbox's API port.</summary>
internal sealed class SandboxApiClient(Uri endpoint, string accessKey, string secret, string region = "ap-northeast-2")
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false });

    public SandboxApiClient(Uri endpoint, SandboxAccount account, string region = "ap-northeast-2")
        : this(endpoint, account.AccessKeyId, account.SecretAccessKey, region)
    {
    }

    public Task<ApiCall> Ec2Async(string action, params (string Name, string Value)[] parameters) =>
        CallAsync("ec2", action, "2016-11-15", parameters);

    public async Task<ApiCall> CallAsync(string service, string action, string version, IEnumerable<(string Name, string Value)> parameters)
    {
        var all = new List<(string Name, string Value)> { ("Action", action), ("Version", version) };
        all.AddRange(parameters);
        var form = string.Join('&', all.Select(p => Uri.EscapeDataString(p.Name) + "=" + Uri.EscapeDataString(p.Value)));
        return await SendRawAsync(service, Encoding.UTF8.GetBytes(form), "application/x-www-form-urlencoded; charset=utf-8");
    }

    public async Task<ApiCall> SendRawAsync(string service, byte[] body, string contentType, Action<HttpRequestMessage>? tamper = null, bool sign = true, string? target = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        if (target is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        }

        if (sign)
        {
            TestSigV4Signer.Sign(request, body, accessKey, secret, region, service, DateTimeOffset.UtcNow);
        }

        tamper?.Invoke(request);
        using var response = await Http.SendAsync(request);
        return new ApiCall(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.TryGetValues("x-amzn-RequestId", out var ids) ? ids.First() : null);
    }
}

/// <summary>One answer: status, raw body and helpers over its XML.</summary>
internal sealed record ApiCall(HttpStatusCode Status, string Body, string? RequestIdHeader)
{
    public XDocument Xml => XDocument.Parse(Body);

    public string? ErrorCode => Values("Code").FirstOrDefault();

    public IEnumerable<string> Values(string localName) =>
        Xml.Descendants().Where(e => e.Name.LocalName == localName).Select(e => e.Value);

    public string Value(string localName) => Values(localName).First();

    public ApiCall EnsureOk()
    {
        Assert.True(Status == HttpStatusCode.OK, $"Expected 200, got {(int)Status}: {Body}");
        return this;
    }
}
