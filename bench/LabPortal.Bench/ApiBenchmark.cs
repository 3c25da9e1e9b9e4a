using System.Globalization;
using System.Net;
using System.Text;
using System.Xml.Linq;
using LabPortal.Aws.Core;

namespace LabPortal.Bench;

/// <summary>
/// Requests per second of one fixed Query-protocol call mix against the sandbox and against moto,
/// in the same run, on the same machine, with the same fixture. Every request is signed once before
/// the run and replayed by wrk, so the client spends nothing on signing.
/// </summary>
internal static class ApiBenchmark
{
    public const double Goal = 10;

    private const string Region = "us-east-1";

    // AWS (and the sandbox) accept a signature for 15 minutes; the whole measurement must fit well inside.
    private static readonly TimeSpan SignatureWindow = TimeSpan.FromMinutes(12);

    /// <summary>The fixed call mix: the read calls a lab's pages and checks make, across EC2 and ELBv2.</summary>
    private static readonly (string Service, string Action, string Version, (string Name, string Value)[] Parameters)[] CallMix =
    [
        ("ec2", "DescribeInstances", QueryClient.Ec2Version, []),
        ("ec2", "DescribeSecurityGroups", QueryClient.Ec2Version, []),
        ("ec2", "DescribeVpcs", QueryClient.Ec2Version, []),
        ("ec2", "DescribeSubnets", QueryClient.Ec2Version, []),
        ("ec2", "DescribeAvailabilityZones", QueryClient.Ec2Version, []),
        ("elasticloadbalancing", "DescribeTargetGroups", QueryClient.Elbv2Version, []),
        ("elasticloadbalancing", "DescribeLoadBalancers", QueryClient.Elbv2Version, []),
    ];

    public static async Task<BenchReport> RunAsync(BenchOptions options)
    {
        var planned = TimeSpan.FromSeconds(2 * (options.WarmupSeconds + (options.Repeats * options.DurationSeconds)));
        if (planned > SignatureWindow)
        {
            throw new ArgumentException($"The runs would take {planned.TotalMinutes:0.0} min; pre-signed requests must be replayed within {SignatureWindow.TotalMinutes:0} min. Use fewer or shorter runs.");
        }

        var started = DateTimeOffset.UtcNow;
        var loadBefore = MachineInfo.LoadAverage();
        var tools = await BenchEnvironment.ToolVersionsAsync("wrk", "moto");
        var directory = BenchEnvironment.NewTempDirectory("api");
        var notes = new List<string>();
        var parameters = new Dictionary<string, string>();

        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        Console.WriteLine("Starting the sandbox and moto ...");
        await using var sandbox = await BenchEnvironment.StartSandboxAsync(directory, timeScale: 1000);
        var motoPort = ChildProcess.FreeLoopbackPort();
        await using var moto = await ChildProcess.StartAsync(
            "python3", ["-m", "moto.server", "-H", "127.0.0.1", "-p", motoPort.ToString(CultureInfo.InvariantCulture)], motoPort,
            Path.Combine(directory, "moto.log"), TimeSpan.FromSeconds(60));

        // The sandbox's playground keys; moto takes any keys, so both get the same ones.
        var credentials = new SigV4Credentials("test", "test");
        var servers = new[]
        {
            (Name: "sandbox", Client: new QueryClient(http, sandbox.Endpoints.Api, Region, credentials)),
            (Name: "moto", Client: new QueryClient(http, moto.Url, Region, credentials)),
        };

        foreach (var (name, client) in servers)
        {
            Console.WriteLine($"Creating the fixture in {name} ...");
            parameters[$"fixture ({name})"] = await CreateFixtureAsync(client);
        }

        // One signing time for every request of the run: wrk replays these exact bytes.
        var signingTime = DateTimeOffset.UtcNow;
        var scripts = new Dictionary<string, string>();
        foreach (var (name, client) in servers)
        {
            var signed = CallMix.Select(c => client.Sign(c.Service, c.Action, c.Version, c.Parameters, signingTime)).ToList();
            var sizes = new List<string>();
            foreach (var request in signed)
            {
                // Replayed twice with the identical signature: the benchmark's premise, checked before wrk runs.
                var first = await client.SendAsync(request);
                var second = await client.SendAsync(request);
                if (first.Status != HttpStatusCode.OK || second.Status != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException(
                        $"{name} refused a replayed pre-signed {request.Action}: {(int)first.Status} then {(int)second.Status}: {second.Body}");
                }

                sizes.Add($"{request.Action} {Encoding.UTF8.GetByteCount(first.Body)} B");
            }

            notes.Add($"{name} answered every pre-signed request of the mix 200 twice (identical signature replayed); response sizes: {string.Join(", ", sizes)}.");
            var script = Path.Combine(directory, $"{name}.lua");
            await File.WriteAllTextAsync(script, Wrk.ReplayScript(signed.Select(s => s.ToRawHttp()).ToList()));
            scripts[name] = script;
        }

        parameters["call mix (cycled in order by each connection)"] = string.Join(", ", CallMix.Select(c => c.Action));
        parameters["signing"] = $"SigV4 by LabPortal.Aws.Core.SigV4Signer, X-Amz-Date {signingTime.UtcDateTime:yyyyMMdd'T'HHmmss'Z'} for every request, region {Region}, keys test/test";
        parameters["sandbox"] = $"in-process (this process), API {sandbox.Endpoints.Api}, TimeScale 1000";
        parameters["moto"] = $"python3 -m moto.server on {moto.Url}";

        var runs = new List<WrkRun>();
        foreach (var (name, client) in servers)
        {
            Console.WriteLine($"Warming up {name} ({options.WarmupSeconds} s) ...");
            if (options.WarmupSeconds > 0)
            {
                await Wrk.RunAsync(name, client.Endpoint, scripts[name], options, options.WarmupSeconds);
            }
        }

        for (var i = 0; i < options.Repeats; i++)
        {
            foreach (var (name, client) in servers)
            {
                var run = await Wrk.RunAsync(name, client.Endpoint, scripts[name], options, options.DurationSeconds);
                Console.WriteLine($"  {name} run {i + 1}: {run.RequestsPerSecond:0} req/s, {run.Failures} failures");
                runs.Add(run);
            }
        }

        if (DateTimeOffset.UtcNow - signingTime > TimeSpan.FromMinutes(15))
        {
            notes.Add("The runs outlasted the 15-minute signature window; late runs may have been refused.");
        }

        var medians = BenchReport.Medians(runs);
        var ratio = BenchReport.RatioOf("sandbox API vs moto", "sandbox", "moto", Goal, medians, runs);
        var report = new BenchReport(
            "api",
            "Sandbox API vs moto: requests per second of a fixed pre-signed call mix",
            started,
            DateTimeOffset.UtcNow,
            MachineInfo.Read(),
            loadBefore,
            MachineInfo.LoadAverage(),
            tools,
            options,
            parameters,
            runs,
            medians,
            [ratio],
            notes);
        return report;
    }

    /// <summary>The same small fixture in either server: a security group, two instances, a target group and a load balancer.</summary>
    private static async Task<string> CreateFixtureAsync(QueryClient client)
    {
        var vpc = QueryClient.Values(await client.Ec2Async("DescribeVpcs", ("Filter.1.Name", "is-default"), ("Filter.1.Value.1", "true")), "vpcId").First();
        var group = QueryClient.Values(await client.Ec2Async(
            "CreateSecurityGroup", ("GroupName", "bench-web"), ("GroupDescription", "LabPortal bench web servers"), ("VpcId", vpc)), "groupId").First();
        await client.Ec2Async(
            "AuthorizeSecurityGroupIngress", ("GroupId", group), ("IpPermissions.1.IpProtocol", "tcp"), ("IpPermissions.1.FromPort", "80"),
            ("IpPermissions.1.ToPort", "80"), ("IpPermissions.1.IpRanges.1.CidrIp", "0.0.0.0/0"));
        var image = QueryClient.Values(await client.Ec2Async("DescribeImages", ("Owner.1", "amazon")), "imageId").First();
        var instances = QueryClient.Values(await client.Ec2Async(
            "RunInstances", ("ImageId", image), ("InstanceType", "t3.micro"), ("MinCount", "2"), ("MaxCount", "2"), ("SecurityGroupId.1", group)), "instanceId").ToList();

        await BenchEnvironment.WaitForRunningAsync(client, instances);
        var subnets = SubnetsByZone(await client.Ec2Async("DescribeSubnets", ("Filter.1.Name", "vpc-id"), ("Filter.1.Value.1", vpc)));
        var targetGroup = QueryClient.Values(await client.ElbAsync(
            "CreateTargetGroup", ("Name", "bench-tg"), ("Protocol", "HTTP"), ("Port", "80"), ("VpcId", vpc)), "TargetGroupArn").First();
        await client.ElbAsync(
            "RegisterTargets", ("TargetGroupArn", targetGroup), ("Targets.member.1.Id", instances[0]), ("Targets.member.2.Id", instances[1]));
        await client.ElbAsync(
            "CreateLoadBalancer", ("Name", "bench-alb"), ("Subnets.member.1", subnets[0]), ("Subnets.member.2", subnets[1]), ("SecurityGroups.member.1", group));
        return $"VPC {vpc}, security group {group}, image {image}, instances {string.Join(' ', instances)}, target group bench-tg, load balancer bench-alb";
    }

    /// <summary>One default subnet from each of the first two zones (a load balancer needs two zones).</summary>
    private static List<string> SubnetsByZone(XDocument subnets) =>
        subnets.Descendants()
            .Where(e => e.Name.LocalName == "item" && e.Elements().Any(c => c.Name.LocalName == "subnetId"))
            .Select(e => (Id: e.Elements().First(c => c.Name.LocalName == "subnetId").Value, Zone: e.Elements().First(c => c.Name.LocalName == "availabilityZone").Value))
            .GroupBy(s => s.Zone)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.First().Id)
            .Take(2)
            .ToList();
}
