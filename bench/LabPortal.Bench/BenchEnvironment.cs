using LabPortal.Sandbox;
using LabPortal.Sandbox.Core;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Bench;

/// <summary>What every benchmark shares: a temporary folder, tool versions and a started sandbox.</summary>
internal static class BenchEnvironment
{
    public static string NewTempDirectory(string name)
    {
        var path = Path.Combine(Path.GetTempPath(), "labportal-bench", $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    public static async Task<Dictionary<string, string>> ToolVersionsAsync(params string[] tools)
    {
        var versions = new Dictionary<string, string>();
        foreach (var tool in tools)
        {
            versions[tool] = tool switch
            {
                // wrk has no version flag: it prints the version above its usage text.
                "wrk" => await ProcessRunner.VersionAsync(Wrk.Executable, "-v"),
                "nginx" => await ProcessRunner.VersionAsync(NginxProxy.Executable, "-v"),
                "moto" => "moto " + await ProcessRunner.VersionAsync("python3", "-c", "import moto; print(moto.__version__)"),
                _ => await ProcessRunner.VersionAsync(tool, "--version"),
            };
        }

        return versions;
    }

    /// <summary>A sandbox on free loopback ports with the playground keys <c>test</c>/<c>test</c>, its state in <paramref name="directory"/>.</summary>
    public static Task<SandboxServer> StartSandboxAsync(string directory, double timeScale, Action<IServiceCollection>? configureServices = null) =>
        SandboxServer.StartAsync(
            new SandboxOptions
            {
                ApiPort = 0,
                DataPlanePort = 0,
                TimeScale = timeScale,
                DataDirectory = Path.Combine(directory, "sandbox"),
                AllowPlaygroundCredentials = true,
            },
            configureServices);

    /// <summary>Polls <paramref name="condition"/> every 100 ms until it holds; throws after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}.");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Waits until every instance is running: AWS registers only running instances as targets (InvalidTarget otherwise).</summary>
    public static Task WaitForRunningAsync(QueryClient client, IReadOnlyList<string> instanceIds) =>
        WaitUntilAsync(
            async () =>
            {
                var filter = instanceIds.Select((id, i) => ($"InstanceId.{i + 1}", id)).ToArray();
                var states = QueryClient.Values(await client.Ec2Async("DescribeInstances", filter), "name");
                return states.Count(state => state == "running") == instanceIds.Count;
            },
            "the instances to run",
            TimeSpan.FromSeconds(60));
}
