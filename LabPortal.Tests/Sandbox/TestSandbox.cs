using LabPortal.Sandbox;
using LabPortal.Sandbox.Accounts;
using LabPortal.Sandbox.Core;
using LabPortal.Sandbox.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.Sandbox;

/// <summary>Starts sandboxes on free ports in a temporary folder, with a high time scale so boots take milliseconds.</summary>
internal static class TestSandbox
{
    /// <summary>An instance profile name for launches that Run Command must reach (the sandbox accepts any name; it has no IAM).</summary>
    public const string InstanceProfileName = "lab-ssm";

    public static SandboxOptions Options(string? directory = null, bool playground = false) => new()
    {
        ApiPort = 0,
        DataPlanePort = 0,
        TimeScale = 1000,
        AllowPlaygroundCredentials = playground,
        DataDirectory = directory ?? NewDirectory(),
    };

    public static string NewDirectory() => Path.Combine(Path.GetTempPath(), "labportal-sandbox-tests", Guid.NewGuid().ToString("N"));

    public static Task<SandboxServer> StartAsync(FakeMachineFactory machines, SandboxOptions? options = null, Action<IServiceCollection>? configure = null) =>
        SandboxServer.StartAsync(options ?? Options(), services =>
        {
            services.AddSingleton<IMachineFactory>(machines);
            configure?.Invoke(services);
        });

    public static async Task<(SandboxServer Server, SandboxAccount Account, SandboxApiClient Client)> StartWithAccountAsync(FakeMachineFactory machines, SandboxOptions? options = null, Action<IServiceCollection>? configure = null)
    {
        var server = await StartAsync(machines, options, configure);
        var account = await server.CreateAccountAsync("learner-a");
        return (server, account, new SandboxApiClient(server.Endpoints.Api, account));
    }

    /// <summary>Polls until <paramref name="condition"/> holds; the bound is generous so slow machines do not flake.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, int timeoutSeconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting for {what}");
            }

            await Task.Delay(20);
        }
    }

    public static async Task<string> InstanceStateAsync(SandboxApiClient client, string instanceId)
    {
        var call = await client.Ec2Async("DescribeInstances", ("InstanceId.1", instanceId));
        return call.EnsureOk().Xml.Descendants().First(e => e.Name.LocalName == "instanceState").Elements().First(e => e.Name.LocalName == "name").Value;
    }

    public static Task WaitForStateAsync(SandboxApiClient client, string instanceId, string state) =>
        EventuallyAsync(async () => await InstanceStateAsync(client, instanceId) == state, $"{instanceId} to be {state}");

    public static async Task<string> LatestAmiAsync(SandboxApiClient client)
    {
        var images = await client.Ec2Async("DescribeImages", ("Owner.1", "amazon"), ("Filter.1.Name", "name"), ("Filter.1.Value.1", "al2023-ami-*-x86_64"));
        return images.EnsureOk().Value("imageId");
    }
}
