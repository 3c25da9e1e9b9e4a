using System.Net;
using System.Text;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using LabPortal.Sandbox;
using LabPortal.Sandbox.Accounts;

namespace LabPortal.Tests.Sandbox;

/// <summary>AWSSDK.Core's public SigV4 signer (what LabPortal.Aws signs with) is accepted as-is.</summary>
public sealed class AwsSdkSignerCompatibilityTests : IAsyncLifetime
{
    private readonly FakeMachineFactory _machines = new();
    private SandboxServer _server = null!;
    private SandboxAccount _account = null!;

    public async Task InitializeAsync() => (_server, _account, _) = await TestSandbox.StartWithAccountAsync(_machines);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Sandbox_accepts_request_signed_by_AWSSDK_Core_signer()
    {
        var body = Encoding.UTF8.GetBytes("Action=DescribeVpcs&Version=2016-11-15");
        var signing = new AWSSigningRequest { HttpMethod = HttpMethod.Post, RequestUri = _server.Endpoints.Api, Content = body };
        signing.Headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8";
        var result = AWSSigV4Signer.Sign(signing, new AWSSigV4Parameters
        {
            Credentials = new BasicAWSCredentials(_account.AccessKeyId, _account.SecretAccessKey),
            Region = RegionEndpoint.APNortheast2,
            Service = "ec2",
            // Over plain HTTP the SDK always signs the payload (it refuses SignPayload = false without HTTPS).
            SignPayload = true,
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, _server.Endpoints.Api) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", signing.Headers["Content-Type"]);
        foreach (var (name, value) in result.Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content.Headers.Remove(name);
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var http = new HttpClient();
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.Contains("172.31.0.0/16", text, StringComparison.Ordinal);
    }
}
