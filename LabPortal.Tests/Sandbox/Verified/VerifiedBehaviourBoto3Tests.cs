using System.Diagnostics;
using LabPortal.Sandbox;
using LabPortal.Sandbox.Accounts;
using LabPortal.Tests.Aws.Contract.Moto;
using LabPortal.Tests.Support;
using Xunit.Abstractions;

namespace LabPortal.Tests.Sandbox.Verified;

/// <summary>
/// Issue 19: the AWS-verified behaviours through boto3 (<c>verified_behaviour.py</c>), once against
/// the sandbox, where every check must hold, and once against moto, where the checks moto fails
/// must be exactly <see cref="MotoDifferences"/> (each with its reason), so the list stays true.
/// </summary>
[Trait("Category", "Moto")]
public sealed class VerifiedBehaviourBoto3Tests(ITestOutputHelper log) : IAsyncLifetime
{
    /// <summary>Where moto 5 does not behave as AWS did when the behaviour was recorded.</summary>
    public static readonly Dictionary<string, string> MotoDifferences = new(StringComparer.Ordinal)
    {
        ["private_ip_outside_the_subnet_is_refused"] = "moto fails with a non-XML 500 for a PrivateIpAddress outside the subnet (AWS answers InvalidParameterValue)",
        ["tags_filter_by_propagate_at_launch"] = "moto's DescribeTags returns nothing for the propagate-at-launch filter",
        ["send_command_fields"] = "moto returns an empty OutputS3Region (AWS: the call's region)",
        ["internet_facing_load_balancer_needs_a_gateway"] = "moto creates an internet-facing load balancer in a VPC without an internet gateway (AWS: InvalidSubnet)",
    };

    private readonly FakeMachineFactory _machines = new();
    private readonly MotoServerFixture _moto = new();
    private SandboxServer _server = null!;
    private SandboxAccount _account = null!;

    public async Task InitializeAsync()
    {
        var moto = _moto.InitializeAsync();
        _server = await TestSandbox.StartAsync(_machines);
        _account = await _server.CreateAccountAsync("verified");
        await moto;
    }

    public async Task DisposeAsync()
    {
        await _moto.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Sandbox_passes_every_verified_check_and_moto_differs_only_where_listed()
    {
        var script = Path.Combine(Artifacts.RepositoryRoot(), "LabPortal.Tests", "Sandbox", "Verified", "verified_behaviour.py");
        var sandboxRun = RunAsync(script, _server.Endpoints.Api.ToString(), _account.AccessKeyId, _account.SecretAccessKey, "ap-northeast-2");
        var motoRun = RunAsync(script, _moto.Endpoint.ToString(), _moto.AccessKey, _moto.SecretKey, _moto.Region);
        var sandbox = await sandboxRun;
        var moto = await motoRun;
        log.WriteLine("sandbox:\n" + string.Join('\n', sandbox.Select(r => $"{r.Key}: {r.Value ?? "OK"}")));
        log.WriteLine("moto:\n" + string.Join('\n', moto.Select(r => $"{r.Key}: {r.Value ?? "OK"}")));

        Assert.True(sandbox.Count >= 27, $"only {sandbox.Count} checks ran on the sandbox");
        Assert.Equal(sandbox.Keys.Order(StringComparer.Ordinal), moto.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(string.Empty, string.Join('\n', sandbox.Where(r => r.Value is not null).Select(r => $"{r.Key}: {r.Value}")));
        var motoDiffers = moto.Where(r => r.Value is not null).Select(r => r.Key).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(MotoDifferences.Keys.Order(StringComparer.Ordinal), motoDiffers);
    }

    /// <summary>Runs the script; each check's name and null (held) or what differed.</summary>
    private static async Task<Dictionary<string, string?>> RunAsync(string script, string endpoint, string key, string secret, string region)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("LABPORTAL_PYTHON") ?? "python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { script, endpoint, key, secret, region })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["AWS_CONFIG_FILE"] = "/nonexistent";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent";
        start.Environment["AWS_MAX_ATTEMPTS"] = "1";
        start.Environment.Remove("AWS_PROFILE");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(300));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"checks against {endpoint} did not finish in 300 s\n{await stdout}\n{await stderr}");
        }

        var output = await stdout;
        Assert.True(process.ExitCode == 0 && output.Contains("DONE", StringComparison.Ordinal), $"checks against {endpoint} broke\n{output}\n{await stderr}");
        var results = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("OK ", StringComparison.Ordinal))
            {
                results[line[3..].Trim()] = null;
            }
            else if (line.StartsWith("DIFF ", StringComparison.Ordinal))
            {
                var rest = line[5..];
                var space = rest.IndexOf(' ', StringComparison.Ordinal);
                results[space < 0 ? rest : rest[..space]] = space < 0 ? "differs" : rest[(space + 1)..];
            }
        }

        return results;
    }
}
