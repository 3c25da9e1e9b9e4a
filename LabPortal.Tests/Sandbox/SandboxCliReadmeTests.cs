using System.Text.RegularExpressions;
using LabPortal.Sandbox;
using LabPortal.Sandbox.Core;
using LabPortal.Tests.Support;

namespace LabPortal.Tests.Sandbox;

/// <summary>
/// The README's "The sandbox with the AWS CLI" block, run exactly as written with the machine's
/// aws CLI and curl against a sandbox on the documented ports (4566 and 8080), so the README
/// cannot drift from what the sandbox does.
/// </summary>
[Trait("Category", "Boto3")]
[Collection(FixedPorts.Name)]
public sealed partial class SandboxCliReadmeTests
{
    [Fact]
    public async Task Readme_seed_000_flow_runs_verbatim_and_both_pages_answer_through_the_load_balancer()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(Artifacts.RepositoryRoot(), "README.md"));
        var section = readme[readme.IndexOf("## The sandbox with the AWS CLI", StringComparison.Ordinal)..];
        var script = BashBlockRegex().Match(section).Groups["script"].Value;
        Assert.Contains("aws elbv2 create-load-balancer", script, StringComparison.Ordinal);

        using var work = new TempDirectory("labportal-readme");
        await File.WriteAllTextAsync(Path.Combine(work.Path, "readme.sh"), script);
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions
        {
            ApiPort = 4566,
            DataPlanePort = 8080,
            // The commands are verbatim; only the sandbox's clock runs faster than AWS's.
            TimeScale = 1000,
            AllowPlaygroundCredentials = true,
            DataDirectory = Path.Combine(work.Path, "sandbox"),
        });

        var (exit, output) = await Cli.RunAsync(new Dictionary<string, string> { ["HOME"] = work.Path }, "bash", "-e", "-c", $"cd '{work.Path}' && source ./readme.sh");

        Assert.True(exit == 0, output);
        Assert.Contains("gosim web page 01", output, StringComparison.Ordinal);
        Assert.Contains("gosim web page 02", output, StringComparison.Ordinal);
    }

    [GeneratedRegex("```bash\\n(?<script>.*?)```", RegexOptions.Singleline)]
    private static partial Regex BashBlockRegex();
}
