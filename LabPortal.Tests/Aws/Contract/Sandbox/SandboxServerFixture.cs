using LabPortal.Sandbox;
using LabPortal.Sandbox.Core;
using LabPortal.Tests.Support;

namespace LabPortal.Tests.Aws.Contract.Sandbox;

/// <summary>
/// The in-process sandbox as a contract-suite lane: its own server on free loopback ports, its own
/// data folder, and one learner account created through the admin surface the portal uses.
/// A high time scale keeps boots and health checks short; the API still reports AWS's numbers.
/// </summary>
public sealed class SandboxServerFixture : IAwsTestServer, IAsyncLifetime
{
    private readonly TempDirectory _data = new("labportal-contract");
    private SandboxServer? _server;

    public string Name => "sandbox";

    public Uri Endpoint { get; private set; } = new("http://127.0.0.1:0/");

    public string AccessKey { get; private set; } = "";

    public string SecretKey { get; private set; } = "";

    public string Region => "ap-northeast-2";

    public async Task InitializeAsync()
    {
        _server = await SandboxServer.StartAsync(new SandboxOptions
        {
            ApiPort = 0,
            DataPlanePort = 0,
            TimeScale = 200,
            DataDirectory = _data.Path,
        });
        var account = await _server.Accounts.CreateAccountAsync("contract-suite");
        (Endpoint, AccessKey, SecretKey) = (_server.Endpoints.Api, account.AccessKeyId, account.SecretAccessKey);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _data.Dispose();
    }
}
