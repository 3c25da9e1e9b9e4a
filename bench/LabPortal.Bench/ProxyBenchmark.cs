using System.Net;
using System.Text;
using LabPortal.Aws.Core;
using LabPortal.Sandbox.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LabPortal.Bench;

/// <summary>
/// wrk through the sandbox's Application Load Balancer (data-plane port, Host header of the load
/// balancer's DNS name) vs straight to one instance's web server vs Debian's nginx proxying the
/// same two instance web servers, in the same run.
/// </summary>
internal static class ProxyBenchmark
{
    public const double Goal = 0.6;

    private const string Region = "ap-northeast-2";

    private const string FrontOnly = "front-404";

    // TimeScale 100: boots, provisioning and the first health checks take seconds; health checks
    // then run every 0.3 s per target, a few requests a second beside the thousands measured.
    private const double TimeScale = 100;

    // Amazon Linux 2023 user data as a lab would write it: install nginx, write a small page naming the instance, start it.
    private const string UserData = """
        #!/bin/bash
        dnf install -y nginx
        ID=$(curl -s http://169.254.169.254/latest/meta-data/instance-id)
        cat > /usr/share/nginx/html/index.html <<EOF
        <!DOCTYPE html>
        <html><head><title>LabPortal bench</title></head><body><h1>Hello from $ID</h1></body></html>
        EOF
        systemctl enable --now nginx

        """;

    public static async Task<BenchReport> RunAsync(BenchOptions options)
    {
        var started = DateTimeOffset.UtcNow;
        var loadBefore = MachineInfo.LoadAverage();
        var tools = await BenchEnvironment.ToolVersionsAsync("wrk", "nginx");
        var directory = BenchEnvironment.NewTempDirectory("proxy");
        var notes = new List<string>();
        var parameters = new Dictionary<string, string>();
        RecordingMachineFactory? machines = null;

        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromSeconds(5) });
        Console.WriteLine("Starting the sandbox ...");
        await using var sandbox = await BenchEnvironment.StartSandboxAsync(directory, TimeScale, services =>
        {
            services.AddSingleton(sp => machines = new RecordingMachineFactory(
                new MachineFactory(sp.GetRequiredService<ILoggerFactory>(), sp.GetService<TimeProvider>())));
            services.AddSingleton<IMachineFactory>(sp => sp.GetRequiredService<RecordingMachineFactory>());
        });
        var client = new QueryClient(http, sandbox.Endpoints.Api, Region, new SigV4Credentials("test", "test"));

        Console.WriteLine("Creating two web instances, a target group, a load balancer and a listener ...");
        var image = QueryClient.Values(await client.Ec2Async(
            "DescribeImages", ("Owner.1", "amazon"), ("Filter.1.Name", "name"), ("Filter.1.Value.1", "al2023-ami-*-x86_64")), "imageId").First();
        var vpc = QueryClient.Values(await client.Ec2Async("DescribeVpcs"), "vpcId").First();
        var instances = QueryClient.Values(await client.Ec2Async(
            "RunInstances", ("ImageId", image), ("InstanceType", "t3.micro"), ("MinCount", "2"), ("MaxCount", "2"),
            ("UserData", Convert.ToBase64String(Encoding.UTF8.GetBytes(UserData)))), "instanceId").ToList();
        var subnets = QueryClient.Values(await client.Ec2Async("DescribeSubnets", ("Filter.1.Name", "availability-zone"), ("Filter.1.Value.1", Region + "a")), "subnetId")
            .Take(1)
            .Concat(QueryClient.Values(await client.Ec2Async("DescribeSubnets", ("Filter.1.Name", "availability-zone"), ("Filter.1.Value.1", Region + "c")), "subnetId").Take(1))
            .ToList();
        await BenchEnvironment.WaitForRunningAsync(client, instances);
        var targetGroup = QueryClient.Values(await client.ElbAsync(
            "CreateTargetGroup", ("Name", "bench-tg"), ("Protocol", "HTTP"), ("Port", "80"), ("VpcId", vpc)), "TargetGroupArn").First();
        await client.ElbAsync("RegisterTargets", ("TargetGroupArn", targetGroup), ("Targets.member.1.Id", instances[0]), ("Targets.member.2.Id", instances[1]));
        var balancer = await client.ElbAsync("CreateLoadBalancer", ("Name", "bench-alb"), ("Subnets.member.1", subnets[0]), ("Subnets.member.2", subnets[1]));
        var balancerArn = QueryClient.Values(balancer, "LoadBalancerArn").First();
        var dnsName = QueryClient.Values(balancer, "DNSName").First();
        await client.ElbAsync(
            "CreateListener", ("LoadBalancerArn", balancerArn), ("Protocol", "HTTP"), ("Port", "80"),
            ("DefaultActions.member.1.Type", "forward"), ("DefaultActions.member.1.TargetGroupArn", targetGroup));

        var timeout = TimeSpan.FromSeconds(120);
        await BenchEnvironment.WaitUntilAsync(
            async () => QueryClient.Values(await client.ElbAsync("DescribeLoadBalancers", ("LoadBalancerArns.member.1", balancerArn)), "Code").FirstOrDefault() == "active",
            "the load balancer to be active", timeout);
        await BenchEnvironment.WaitUntilAsync(
            async () => QueryClient.Values(await client.ElbAsync("DescribeTargetHealth", ("TargetGroupArn", targetGroup)), "State").Count(s => s == "healthy") == 2,
            "both targets to be healthy", timeout);
        var recorder = machines ?? throw new InvalidOperationException("The sandbox did not use the benchmark's machine factory.");
        var webServers = instances.Select(id => recorder.WebServer(id) ?? throw new InvalidOperationException($"{id} has no web server on port 80.")).ToList();

        await using var nginx = await NginxProxy.StartAsync(directory, webServers, options.NginxWorkers);
        await using var minimal = await MinimalForwarder.StartAsync(webServers);

        var lbUrl = new Uri($"http://127.0.0.1:{sandbox.Endpoints.DataPlane.Port}/");
        var instanceDns = QueryClient.Values(await client.Ec2Async("DescribeInstances", ("InstanceId.1", instances[0])), "dnsName").First(n => n.Length > 0);

        // The last three are diagnostics without goals, to split the load balancer's cost: the data-plane
        // front alone (an unknown host answers a short 404), and the front plus the forwarder to an
        // instance's public DNS name (no ELBv2 routing); and a minimal .NET proxy in this process.
        var targets = new (string Name, Uri Url, string? Host)[]
        {
            ("sandbox-lb", lbUrl, dnsName),
            ("direct", webServers[0], null),
            ("nginx", nginx.Url, null),
            (FrontOnly, lbUrl, "nobody-here.bench.localhost"),
            ("instance-via-front", lbUrl, instanceDns),
            ("minimal-dotnet-proxy", minimal.Url, null),
        };

        // Each path must answer the instances' page with 200, and both proxies must reach both instances.
        foreach (var (name, url, host) in targets)
        {
            if (name == FrontOnly)
            {
                using var probe = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { Host = host } };
                using var answer = await http.SendAsync(probe);
                var text = await answer.Content.ReadAsStringAsync();
                notes.Add($"{FrontOnly} (diagnostic) answers {(int)answer.StatusCode} ({Encoding.UTF8.GetByteCount(text)} B body) by design; its non-2xx count is expected.");
                continue;
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            var bytes = 0;
            for (var i = 0; i < 10; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                if (host is not null)
                {
                    request.Headers.Host = host;
                }

                using var response = await http.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != HttpStatusCode.OK || !body.Contains("Hello from i-", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"{name} answered {(int)response.StatusCode}: {body}");
                }

                bytes = Encoding.UTF8.GetByteCount(body);
                seen.Add(instances.First(id => body.Contains(id, StringComparison.Ordinal)));
            }

            notes.Add($"{name} answered 10 of 10 checks 200 with the page ({bytes} B body), served by {string.Join(" and ", seen.Order(StringComparer.Ordinal))}.");
        }

        parameters["page"] = "index.html written by the instances' user data (dnf install -y nginx; heredoc; systemctl enable --now nginx), run by the sandbox's instance runtime";
        parameters["sandbox-lb"] = $"wrk -H 'Host: {dnsName}' {lbUrl} (the sandbox data-plane front, in this process), listener HTTP:80 forward to bench-tg (2 healthy targets), TimeScale {TimeScale}";
        parameters["direct"] = $"{webServers[0]} (the web server of {instances[0]}, in this process)";
        parameters["diagnostics"] = $"{FrontOnly}: data-plane port with an unknown Host (front and routing only); instance-via-front: data-plane port with Host {instanceDns} (front and forwarder, no ELBv2); minimal-dotnet-proxy: the smallest ASP.NET Core + SocketsHttpHandler round-robin proxy in this process, over the same two web servers";
        parameters["nginx"] = $"{nginx.Url}: nginx worker_processes {options.NginxWorkers}, upstream round robin over {string.Join(", ", webServers)} with keepalive 32, HTTP/1.1 upstream, access_log off";

        var script = Path.Combine(directory, "report.lua");
        await File.WriteAllTextAsync(script, Wrk.ReportOnlyScript());
        foreach (var (name, url, host) in targets)
        {
            Console.WriteLine($"Warming up {name} ({options.WarmupSeconds} s) ...");
            if (options.WarmupSeconds > 0)
            {
                await Wrk.RunAsync(name, url, script, options, options.WarmupSeconds, host);
            }
        }

        var runs = new List<WrkRun>();
        for (var i = 0; i < options.Repeats; i++)
        {
            foreach (var (name, url, host) in targets)
            {
                var run = await Wrk.RunAsync(name, url, script, options, options.DurationSeconds, host);
                Console.WriteLine($"  {name} run {i + 1}: {run.RequestsPerSecond:0} req/s, {run.Failures} failures");
                runs.Add(run);
            }
        }

        var health = QueryClient.Values(await client.ElbAsync("DescribeTargetHealth", ("TargetGroupArn", targetGroup)), "State").ToList();
        notes.Add($"Target health after the runs: {string.Join(", ", health)}.");

        var medians = BenchReport.Medians(runs);
        return new BenchReport(
            "proxy",
            "Sandbox load balancer vs direct vs nginx: requests per second of one small page",
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
            [
                BenchReport.RatioOf("load balancer vs nginx", "sandbox-lb", "nginx", Goal, medians, runs),
                BenchReport.RatioOf("load balancer vs direct", "sandbox-lb", "direct", 0, medians, runs),
                BenchReport.RatioOf("nginx vs direct", "nginx", "direct", 0, medians, runs),
            ],
            notes);
    }
}
