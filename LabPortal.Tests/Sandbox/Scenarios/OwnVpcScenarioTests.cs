using LabPortal.Sandbox;
using LabPortal.Sandbox.Core;
using LabPortal.Tests.Support;
using Xunit.Abstractions;

namespace LabPortal.Tests.Sandbox.Scenarios;

/// <summary>
/// Issue 19's scenario through boto3 against the sandbox with its real instance runtime: a VPC of
/// its own with two public subnets and an internet gateway, Lab 1's servers and load balancer in
/// it, the pages alternating, the VPC rules on the way, and a teardown to zero (own_vpc_lab.py).
/// </summary>
[Trait("Category", "Boto3")]
public sealed class OwnVpcScenarioTests(ITestOutputHelper log)
{
    [Fact]
    public async Task Lab1_runs_in_a_hand_built_vpc_and_tears_down_to_zero()
    {
        using var data = new TempDirectory("labportal-own-vpc");
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions
        {
            ApiPort = 0,
            DataPlanePort = 0,
            TimeScale = 100,
            DataDirectory = data.Path,
        });
        var account = await sandbox.CreateAccountAsync("own-vpc");
        var script = Path.Combine(Artifacts.RepositoryRoot(), "LabPortal.Tests", "Sandbox", "Scenarios", "own_vpc_lab.py");

        var (exit, output) = await Cli.RunAsync(
            new Dictionary<string, string>(),
            "python3", script, sandbox.Endpoints.Api.ToString(), sandbox.Endpoints.DataPlane.ToString(), account.AccessKeyId, account.SecretAccessKey);

        log.WriteLine(output);
        Assert.True(exit == 0 && output.Contains("DONE", StringComparison.Ordinal), output);
    }
}
