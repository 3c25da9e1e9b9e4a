using LabPortal.Sandbox;
using LabPortal.Sandbox.Core;
using LabPortal.Tests.Support;

namespace LabPortal.Tests.Sandbox.Scenarios;

/// <summary>
/// The labs' whole traffic-and-health story through boto3 against the sandbox with its real
/// instance runtime, ELBv2, Auto Scaling and SSM together (self_healing.py says each step).
/// </summary>
[Trait("Category", "Boto3")]
public sealed class SelfHealingScenarioTests
{
    [Fact]
    public async Task Stopped_web_server_turns_unhealthy_traffic_moves_and_the_group_replaces_it()
    {
        using var data = new TempDirectory("labportal-scenario");
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions
        {
            ApiPort = 0,
            DataPlanePort = 0,
            TimeScale = 100,
            DataDirectory = data.Path,
        });
        var account = await sandbox.CreateAccountAsync("scenario");
        var script = Path.Combine(Artifacts.RepositoryRoot(), "LabPortal.Tests", "Sandbox", "Scenarios", "self_healing.py");

        var (exit, output) = await Cli.RunAsync(
            new Dictionary<string, string>(),
            "python3", script, sandbox.Endpoints.Api.ToString(), sandbox.Endpoints.DataPlane.ToString(), account.AccessKeyId, account.SecretAccessKey);

        Assert.True(exit == 0 && output.Contains("DONE", StringComparison.Ordinal), output);
    }
}
