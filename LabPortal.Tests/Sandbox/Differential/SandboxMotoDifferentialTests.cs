using System.Diagnostics;
using System.Text;
using System.Text.Json;
using LabPortal.Sandbox;
using LabPortal.Sandbox.Accounts;
using LabPortal.Tests.Aws.Contract.Moto;
using LabPortal.Tests.Support;
using Xunit.Abstractions;

namespace LabPortal.Tests.Sandbox.Differential;

/// <summary>
/// Issue 3: one boto3 scenario (<c>scenario.py</c>, the seed lab) runs against moto and against a
/// started sandbox; the response key paths of every call are compared. Every difference must be in
/// <see cref="KnownDifferences"/> with the reason (judged by botocore's service model), and every
/// listed difference must still occur, so the list stays true.
/// </summary>
[Trait("Category", "Moto")]
public sealed class SandboxMotoDifferentialTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>Which side shows the key path, or which side's list is empty.</summary>
    public enum Side
    {
        SandboxOnly,
        MotoOnly,
        EmptyOnMoto,
        EmptyOnSandbox,
        ErrorDiffers,
    }

    public sealed record Difference(string Call, string Path, Side Side);

    public sealed record KnownDifference(string Call, string Path, Side Side, string Reason)
    {
        public Difference Key => new(Call, Path, Side);
    }

    private sealed record CallShape(string Call, SortedSet<string> Keys, SortedSet<string> Empty, string? Error);

    /// <summary>Reviewed differences. "moto gap": the botocore model has the key and moto omits it. "sandbox gap, see report": a sandbox bug.</summary>
    public static readonly KnownDifference[] KnownDifferences =
    [
        // --- moto gaps: the botocore model has the key, AWS returns it, moto omits it ---
        new("ec2.describe_instances", "Reservations[].Instances[].HibernationOptions.Configured", Side.SandboxOnly, "moto gap: moto returns HibernationOptions as an empty structure; AWS returns Configured (false for an instance without hibernation), HibernationOptions.Configured in the ec2 model"),
        new("ec2.run_instances", "Instances[].HibernationOptions.Configured", Side.SandboxOnly, "moto gap: see describe_instances HibernationOptions.Configured"),
        new("autoscaling.describe_auto_scaling_groups", "AutoScalingGroups[].TrafficSources", Side.SandboxOnly, "moto gap: AutoScalingGroup.TrafficSources is in the autoscaling model; moto lacks traffic sources"),
        new("autoscaling.describe_scaling_activities", "Activities", Side.EmptyOnMoto, "moto gap: moto records no scaling activities; AWS lists a Launching/Terminating activity per instance (Activity shape)"),
        new("ec2.authorize_security_group_ingress", "SecurityGroupRules[].GroupOwnerId", Side.SandboxOnly, "moto gap: SecurityGroupRule.GroupOwnerId is in the ec2 model; moto omits it"),
        new("ec2.delete_launch_template", "LaunchTemplate.CreateTime", Side.SandboxOnly, "moto gap: DeleteLaunchTemplateResult.LaunchTemplate is the full LaunchTemplate shape; moto returns only id, name and default version"),
        new("ec2.delete_launch_template", "LaunchTemplate.CreatedBy", Side.SandboxOnly, "moto gap: see LaunchTemplate.CreateTime"),
        new("ec2.delete_launch_template", "LaunchTemplate.LatestVersionNumber", Side.SandboxOnly, "moto gap: see LaunchTemplate.CreateTime"),
        new("ec2.delete_security_group", "GroupId", Side.SandboxOnly, "moto gap: DeleteSecurityGroupResult has Return and GroupId in the ec2 model; moto returns an empty body"),
        new("ec2.delete_security_group", "Return", Side.SandboxOnly, "moto gap: see GroupId"),
        new("ec2.describe_images", "Images[].BlockDeviceMappings[].Ebs.Encrypted", Side.SandboxOnly, "moto gap: EbsBlockDevice.Encrypted is in the ec2 model and set on Amazon AMIs; moto omits it"),
        new("ec2.describe_images", "Images[].EnaSupport", Side.SandboxOnly, "moto gap: Image.EnaSupport (true on al2023); moto omits it"),
        new("ec2.describe_images", "Images[].ImageLocation", Side.SandboxOnly, "moto gap: Image.ImageLocation (amazon/<name>); moto omits it"),
        new("ec2.describe_images", "Images[].ImdsSupport", Side.SandboxOnly, "moto gap: Image.ImdsSupport (v2.0 on al2023); moto omits it"),
        new("ec2.describe_images", "Images[].PlatformDetails", Side.SandboxOnly, "moto gap: Image.PlatformDetails (Linux/UNIX); moto omits it"),
        new("ec2.describe_images", "Images[].SriovNetSupport", Side.SandboxOnly, "moto gap: Image.SriovNetSupport (simple on al2023); moto omits it"),
        new("ec2.describe_images", "Images[].UsageOperation", Side.SandboxOnly, "moto gap: Image.UsageOperation (RunInstances); moto omits it"),
        new("ec2.describe_instances", "Reservations[].Instances[].CpuOptions", Side.SandboxOnly, "moto gap: Instance.CpuOptions is in the ec2 model; moto omits it"),
        new("ec2.describe_instances", "Reservations[].Instances[].EnaSupport", Side.SandboxOnly, "moto gap: Instance.EnaSupport; moto omits it"),
        new("ec2.describe_instances", "Reservations[].Instances[].NetworkInterfaces[].PrivateIpAddresses[].PrivateDnsName", Side.SandboxOnly, "moto gap: InstancePrivateIpAddress.PrivateDnsName; moto omits it"),
        new("ec2.describe_instances", "Reservations[].Instances[].Placement.AvailabilityZoneId", Side.SandboxOnly, "moto gap: Placement.AvailabilityZoneId; moto omits it"),
        new("ec2.describe_instances", "Reservations[].Instances[].PlatformDetails", Side.SandboxOnly, "moto gap: Instance.PlatformDetails; moto omits it"),
        new("ec2.describe_instances", "Reservations[].Instances[].PrivateDnsNameOptions", Side.SandboxOnly, "moto gap: Instance.PrivateDnsNameOptions (PrivateDnsNameOptionsResponse); moto omits it"),
        new("ec2.describe_instances", "Reservations[].Instances[].UsageOperation", Side.SandboxOnly, "moto gap: Instance.UsageOperation; moto omits it"),
        new("ec2.run_instances", "Instances[].CpuOptions", Side.SandboxOnly, "moto gap: Instance.CpuOptions; moto omits it"),
        new("ec2.run_instances", "Instances[].EnaSupport", Side.SandboxOnly, "moto gap: Instance.EnaSupport; moto omits it"),
        new("ec2.run_instances", "Instances[].NetworkInterfaces[].PrivateIpAddresses[].PrivateDnsName", Side.SandboxOnly, "moto gap: InstancePrivateIpAddress.PrivateDnsName; moto omits it"),
        new("ec2.run_instances", "Instances[].Placement.AvailabilityZoneId", Side.SandboxOnly, "moto gap: Placement.AvailabilityZoneId; moto omits it"),
        new("ec2.run_instances", "Instances[].PlatformDetails", Side.SandboxOnly, "moto gap: Instance.PlatformDetails; moto omits it"),
        new("ec2.run_instances", "Instances[].PrivateDnsNameOptions", Side.SandboxOnly, "moto gap: Instance.PrivateDnsNameOptions; moto omits it"),
        new("ec2.run_instances", "Instances[].UsageOperation", Side.SandboxOnly, "moto gap: Instance.UsageOperation; moto omits it"),
        new("elbv2.create_listener", "Listeners[].DefaultActions[].ForwardConfig", Side.SandboxOnly, "moto gap: AWS echoes a forward action's TargetGroupArn as Action.ForwardConfig too (elbv2 model, ForwardActionConfig); moto omits it"),
        new("elbv2.describe_listeners", "Listeners[].DefaultActions[].ForwardConfig", Side.SandboxOnly, "moto gap: see create_listener ForwardConfig"),
        new("elbv2.create_rule", "Rules[].Actions[].ForwardConfig", Side.SandboxOnly, "moto gap: see create_listener ForwardConfig"),
        new("elbv2.describe_rules", "Rules[].Actions[].ForwardConfig", Side.SandboxOnly, "moto gap: see create_listener ForwardConfig"),
        new("elbv2.create_rule", "Rules[].Conditions[].Values", Side.SandboxOnly, "moto gap: AWS returns the legacy RuleCondition.Values next to PathPatternConfig; moto omits it"),
        new("elbv2.describe_rules", "Rules[].Conditions[].Values", Side.SandboxOnly, "moto gap: see create_rule Conditions[].Values"),
        new("elbv2.create_load_balancer", "LoadBalancers[].AvailabilityZones[].LoadBalancerAddresses", Side.SandboxOnly, "moto gap: AvailabilityZone.LoadBalancerAddresses is in the elbv2 model; moto omits it"),
        new("elbv2.describe_load_balancers", "LoadBalancers[].AvailabilityZones[].LoadBalancerAddresses", Side.SandboxOnly, "moto gap: see create_load_balancer"),
        new("elbv2.create_target_group", "TargetGroups[].LoadBalancerArns", Side.SandboxOnly, "moto gap: TargetGroup.LoadBalancerArns (empty list on a new group) is in the elbv2 model; moto omits it"),
        new("elbv2.describe_target_health", "TargetHealthDescriptions[].TargetHealth.Description", Side.SandboxOnly, "moto gap: targets of a group no load balancer uses yet are 'unused' on AWS with TargetHealth.Reason and Description; moto reports them healthy at once without either"),
        new("elbv2.describe_target_health", "TargetHealthDescriptions[].TargetHealth.Reason", Side.SandboxOnly, "moto gap: see TargetHealth.Description"),

        // --- moto extras: moto returns a key AWS omits in this situation (empty list, or a value that does not apply) ---
        new("ec2.create_launch_template", "LaunchTemplate.Tags", Side.MotoOnly, "moto extra: moto returns Tags=[] for an untagged template; AWS omits empty lists in EC2 Query responses"),
        new("ec2.describe_vpcs", "Vpcs[].Ipv6CidrBlockAssociationSet", Side.MotoOnly, "moto extra: moto returns an empty Ipv6CidrBlockAssociationSet; AWS omits it for a VPC without IPv6"),
        new("ec2.describe_images", "Images[].ProductCodes", Side.MotoOnly, "moto extra: moto returns ProductCodes=[]; al2023 AMIs have no product codes and AWS omits the key"),
        new("ec2.describe_images", "Images[].Tags", Side.MotoOnly, "moto extra: moto returns Tags=[]; Amazon's public AMIs carry no tags and AWS omits the key"),
        new("ec2.describe_instances", "Reservations[].Instances[].SriovNetSupport", Side.MotoOnly, "moto extra: moto reports SriovNetSupport=simple on a t3 (ENA) instance; AWS omits it there"),
        new("ec2.run_instances", "Instances[].SriovNetSupport", Side.MotoOnly, "moto extra: see describe_instances SriovNetSupport"),
        new("ec2.describe_instances", "Reservations[].Instances[].StateReason", Side.MotoOnly, "moto extra: moto returns StateReason with empty Code and Message for a running instance; AWS omits StateReason while running"),
        new("elbv2.create_listener", "Listeners[].AlpnPolicy", Side.MotoOnly, "moto extra: moto returns AlpnPolicy=[] on an HTTP listener; AWS returns it only for TLS listeners"),
        new("elbv2.describe_listeners", "Listeners[].AlpnPolicy", Side.MotoOnly, "moto extra: see create_listener AlpnPolicy"),
        new("elbv2.create_listener", "Listeners[].SslPolicy", Side.MotoOnly, "moto extra: moto returns SslPolicy=ELBSecurityPolicy-2016-08 on an HTTP listener; AWS returns it only for HTTPS/TLS listeners"),
        new("elbv2.describe_listeners", "Listeners[].SslPolicy", Side.MotoOnly, "moto extra: see create_listener SslPolicy"),

    ];

    private readonly FakeMachineFactory _machines = new();
    private readonly MotoServerFixture _moto = new();
    private SandboxServer _server = null!;
    private SandboxAccount _account = null!;

    public async Task InitializeAsync()
    {
        var moto = _moto.InitializeAsync();
        _server = await TestSandbox.StartAsync(_machines);
        _account = await _server.CreateAccountAsync("differential");
        await moto;
    }

    public async Task DisposeAsync()
    {
        await _moto.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Sandbox_response_keys_match_moto_except_known_differences_when_seed_lab_scenario_runs()
    {
        var script = Path.Combine(Artifacts.RepositoryRoot(), "LabPortal.Tests", "Sandbox", "Differential", "scenario.py");
        var sandboxRun = RunScenarioAsync(script, _server.Endpoints.Api.ToString(), _account.AccessKeyId, _account.SecretAccessKey, "ap-northeast-2");
        var motoRun = RunScenarioAsync(script, _moto.Endpoint.ToString(), _moto.AccessKey, _moto.SecretKey, _moto.Region);
        var sandbox = await sandboxRun;
        var moto = await motoRun;

        Assert.Equal(moto.Select(c => c.Call), sandbox.Select(c => c.Call));
        Assert.True(sandbox.Count >= 30, $"only {sandbox.Count} calls compared");

        var found = new SortedSet<Difference>(Comparer<Difference>.Create((a, b) => string.CompareOrdinal($"{a.Call}|{a.Path}|{a.Side}", $"{b.Call}|{b.Path}|{b.Side}")));
        for (var i = 0; i < sandbox.Count; i++)
        {
            var differences = Compare(sandbox[i], moto[i]).Distinct().ToList();
            foreach (var difference in differences.Where(d => !differences.Any(p => p.Side == d.Side && IsAncestor(p.Path, d.Path))))
            {
                found.Add(difference);
            }
        }

        var known = KnownDifferences.Select(k => k.Key).ToHashSet();
        var unexpected = found.Where(d => !known.Contains(d)).ToList();
        var stale = KnownDifferences.Where(k => !found.Contains(k.Key)).ToList();
        var report = new StringBuilder();
        report.AppendLine(CultureInfo($"{sandbox.Count} calls compared, {found.Count} differences, {KnownDifferences.Length} known."));
        foreach (var d in unexpected)
        {
            report.AppendLine(CultureInfo($"UNEXPECTED new(\"{d.Call}\", \"{d.Path}\", Side.{d.Side}, \"?\"),"));
        }

        foreach (var k in stale)
        {
            report.AppendLine(CultureInfo($"NO LONGER OCCURS {k.Call} {k.Path} {k.Side}: {k.Reason}"));
        }

        output.WriteLine(report.ToString());
        Assert.True(unexpected.Count == 0 && stale.Count == 0, report.ToString());
    }

    private static string CultureInfo(FormattableString text) => FormattableString.Invariant(text);

    /// <summary>
    /// Key paths on one side only. A path under a list that is empty on the other side is reported
    /// once, as that list's emptiness, instead of once per key the items would have had.
    /// </summary>
    private static IEnumerable<Difference> Compare(CallShape sandbox, CallShape moto)
    {
        if (sandbox.Error != moto.Error)
        {
            yield return new Difference(sandbox.Call, $"error sandbox={sandbox.Error ?? "none"} moto={moto.Error ?? "none"}", Side.ErrorDiffers);
        }

        foreach (var path in sandbox.Keys.Except(moto.Keys))
        {
            var empty = EmptyAncestor(path, moto);
            yield return empty is null ? new Difference(sandbox.Call, path, Side.SandboxOnly) : new Difference(sandbox.Call, empty, Side.EmptyOnMoto);
        }

        foreach (var path in moto.Keys.Except(sandbox.Keys))
        {
            var empty = EmptyAncestor(path, sandbox);
            yield return empty is null ? new Difference(sandbox.Call, path, Side.MotoOnly) : new Difference(sandbox.Call, empty, Side.EmptyOnSandbox);
        }
    }

    /// <summary>A whole object or list missing on one side is one difference, not one per key inside it.</summary>
    private static bool IsAncestor(string ancestor, string path) =>
        path.StartsWith(ancestor + ".", StringComparison.Ordinal) || path.StartsWith(ancestor + "[]", StringComparison.Ordinal);

    /// <summary>The list above <paramref name="path"/> that is empty on <paramref name="other"/> and has no item there at all.</summary>
    private static string? EmptyAncestor(string path, CallShape other) =>
        other.Empty
            .Where(list => path.StartsWith(list + "[]", StringComparison.Ordinal) && !other.Keys.Any(k => k.StartsWith(list + "[]", StringComparison.Ordinal)))
            .OrderByDescending(list => list.Length)
            .FirstOrDefault();

    private static async Task<List<CallShape>> RunScenarioAsync(string script, string endpoint, string key, string secret, string region)
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
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"scenario against {endpoint} did not finish in 90 s\n{await stdout}\n{await stderr}");
        }

        var text = await stdout;
        Assert.True(process.ExitCode == 0, $"scenario against {endpoint} exited with {process.ExitCode}\n{text}\n{await stderr}");
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("{\"done\": true}", lines[^1]);
        return [.. lines[..^1].Select(Parse)];
    }

    private static CallShape Parse(string line)
    {
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        static SortedSet<string> Set(JsonElement array) => new(array.EnumerateArray().Select(e => e.GetString()!), StringComparer.Ordinal);
        var error = root.GetProperty("error");
        return new CallShape(root.GetProperty("call").GetString()!, Set(root.GetProperty("keys")), Set(root.GetProperty("empty")),
            error.ValueKind == JsonValueKind.Null ? null : error.GetString());
    }
}
