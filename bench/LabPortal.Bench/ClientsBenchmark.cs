using System.Diagnostics;
using System.Globalization;
using System.Net;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using LabPortal.Aws.Core;
using LabPortal.Aws.Elbv2;

namespace LabPortal.Bench;

/// <summary>
/// Client CPU per call: N sequential calls against the in-process sandbox through AWSSDK.EC2's client
/// (DescribeVpcs) and through the generated ELBv2 client on AWSSDK.Core's pipeline (DescribeTargetGroups),
/// each next to a baseline that replays one pre-signed request of the same call with a bare HttpClient.
/// The process's CPU time covers the client and the in-process sandbox alike; the baseline carries the
/// same server work and almost no client work, so "client CPU per call" is a call's CPU minus its baseline's.
/// </summary>
internal static class ClientsBenchmark
{
    private const string Region = "us-east-1";

    public static async Task<BenchReport> RunAsync(BenchOptions options)
    {
        var started = DateTimeOffset.UtcNow;
        var loadBefore = MachineInfo.LoadAverage();
        var directory = BenchEnvironment.NewTempDirectory("clients");
        var calls = options.Calls;
        // Long enough for tiered JIT to settle (shorter warm-ups showed CPU per call still falling run after run).
        var warmup = Math.Max(500, calls);
        var notes = new List<string>();
        var parameters = new Dictionary<string, string>();

        Console.WriteLine("Starting the sandbox ...");
        await using var sandbox = await BenchEnvironment.StartSandboxAsync(directory, timeScale: 1000);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(30) };
        var query = new QueryClient(http, sandbox.Endpoints.Api, Region, new SigV4Credentials("test", "test"));
        var vpc = QueryClient.Values(await query.Ec2Async("DescribeVpcs", ("Filter.1.Name", "is-default"), ("Filter.1.Value.1", "true")), "vpcId").First();
        await query.ElbAsync("CreateTargetGroup", ("Name", "bench-clients-tg"), ("Protocol", "HTTP"), ("Port", "80"), ("VpcId", vpc));
        parameters["fixture"] = $"the sandbox's default VPC {vpc} and one target group bench-clients-tg";

        // The portal's client configuration (CloudClientFactory): ServiceURL + AuthenticationRegion, standard retry mode,
        // three attempts, attempts re-signed, one shared HttpClient through the SDK's HttpClientFactory hook. The rate
        // limiter is left out: it would hold DescribeTargetGroups to 10 calls a second and time nothing about the client.
        var factory = new SharedHttpClientFactory(http);
        var keys = new BasicAWSCredentials("test", "test");
        using var ec2 = new AmazonEC2Client(keys, Configure(new AmazonEC2Config(), sandbox.Endpoints.Api, factory));
        using var elb = new AmazonElasticLoadBalancingV2Client(keys, Configure(new AmazonElasticLoadBalancingV2Config(), sandbox.Endpoints.Api, factory));

        var signingTime = DateTimeOffset.UtcNow;
        var rawEc2 = query.Sign("ec2", "DescribeVpcs", QueryClient.Ec2Version, [], signingTime);
        var rawElb = query.Sign("elasticloadbalancing", "DescribeTargetGroups", QueryClient.Elbv2Version, [], signingTime);

        var targets = new (string Name, Func<Task> Call)[]
        {
            ("raw DescribeVpcs (baseline)", () => SendRawAsync(http, sandbox.Endpoints.Api, rawEc2)),
            ("AWSSDK.EC2 DescribeVpcs", async () => Check((await ec2.DescribeVpcsAsync(new DescribeVpcsRequest())).Vpcs.Count > 0)),
            ("raw DescribeTargetGroups (baseline)", () => SendRawAsync(http, sandbox.Endpoints.Api, rawElb)),
            ("generated ELBv2 DescribeTargetGroups", async () => Check((await elb.DescribeTargetGroupsAsync(new DescribeTargetGroupsRequest())).TargetGroups!.Count == 1)),
        };

        Console.WriteLine($"Warming up ({warmup} calls per target) ...");
        foreach (var (_, call) in targets)
        {
            for (var i = 0; i < warmup; i++)
            {
                await call();
            }
        }

        // Each run interleaves the four targets in ten slices of calls/10, so a change in the machine's load (its cores
        // are shared) touches all four alike; a client's cost in a run is its CPU minus its baseline's in that same run.
        const int Slices = 10;
        var slice = Math.Max(1, calls / Slices);
        var samples = targets.ToDictionary(t => t.Name, _ => new List<(double CpuMs, double WallMs)>());
        using var process = Process.GetCurrentProcess();
        for (var r = 0; r < options.Repeats; r++)
        {
            var cpu = new double[targets.Length];
            var wallMs = new double[targets.Length];
            GC.Collect();
            GC.WaitForPendingFinalizers();
            for (var s = 0; s < Slices; s++)
            {
                for (var t = 0; t < targets.Length; t++)
                {
                    process.Refresh();
                    var cpuBefore = process.TotalProcessorTime;
                    var wall = Stopwatch.StartNew();
                    for (var i = 0; i < slice; i++)
                    {
                        await targets[t].Call();
                    }

                    wall.Stop();
                    process.Refresh();
                    cpu[t] += (process.TotalProcessorTime - cpuBefore).TotalMilliseconds;
                    wallMs[t] += wall.Elapsed.TotalMilliseconds;
                }
            }

            for (var t = 0; t < targets.Length; t++)
            {
                samples[targets[t].Name].Add((cpu[t] / (slice * Slices), wallMs[t] / (slice * Slices)));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  run {r + 1} {targets[t].Name}: {cpu[t] / (slice * Slices):0.000} CPU-ms/call, {wallMs[t] / (slice * Slices):0.000} ms/call"));
            }
        }

        double PerCall(string name) => BenchReport.Median(samples[name].Select(s => s.CpuMs));
        double WallPerCall(string name) => BenchReport.Median(samples[name].Select(s => s.WallMs));
        double ClientPerCall(int target) => BenchReport.Median(samples[targets[target].Name].Zip(samples[targets[target - 1].Name], (c, b) => c.CpuMs - b.CpuMs));
        var ec2Client = ClientPerCall(1);
        var elbClient = ClientPerCall(3);

        var inv = CultureInfo.InvariantCulture;
        var rows = targets.Select((t, i) => (IReadOnlyList<string>)
        [
            t.Name,
            string.Join(" / ", samples[t.Name].Select(s => s.CpuMs.ToString("0.000", inv))),
            PerCall(t.Name).ToString("0.000", inv),
            WallPerCall(t.Name).ToString("0.000", inv),
            i % 2 == 1 ? (i == 1 ? ec2Client : elbClient).ToString("0.000", inv) : "-",
        ]).ToList();

        parameters["calls per run"] = $"{slice * Slices} per target, in {Slices} slices of {slice}, the four targets interleaved slice by slice";
        parameters["warm-up"] = $"{warmup} calls per target, then {options.Repeats} runs";
        parameters["sandbox"] = $"in-process (this process), API {sandbox.Endpoints.Api}, TimeScale 1000";
        parameters["CPU"] = "Process.TotalProcessorTime of this process (client and sandbox together) around each slice; a full GC before each run";
        parameters["baseline"] = $"one request signed once by LabPortal.Aws.Core.SigV4Signer at {signingTime.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'} and replayed by a bare HttpClient";
        notes.Add("Calls are sequential (one at a time), so wall time per call is latency, and every call of a run is the same request.");
        notes.Add("The EC2 and ELBv2 calls differ on the server side too; each is compared with its own baseline before the two clients are compared.");

        var ratio = new Ratio("client CPU per call, generated ELBv2 vs AWSSDK.EC2", "generated ELBv2 DescribeTargetGroups", "AWSSDK.EC2 DescribeVpcs",
            ec2Client > 0 ? elbClient / ec2Client : 0, 0, true);
        return new BenchReport(
            "clients",
            "AWS client CPU per call: AWSSDK.EC2 vs the generated ELBv2 client on AWSSDK.Core's pipeline",
            started,
            DateTimeOffset.UtcNow,
            MachineInfo.Read(),
            loadBefore,
            MachineInfo.LoadAverage(),
            new Dictionary<string, string> { ["AWSSDK.Core"] = FileVersionOf(typeof(AmazonServiceClient)), ["AWSSDK.EC2"] = FileVersionOf(typeof(AmazonEC2Client)) },
            options,
            parameters,
            [],
            new Dictionary<string, double>(),
            [ratio],
            notes)
        {
            Tables = [new ResultTable("CPU per call", ["target", "CPU-ms/call per run", "median CPU-ms/call", "median wall ms/call", "client CPU-ms/call (median over runs of call minus baseline)"], rows)],
        };
    }

    private static string FileVersionOf(Type type) => FileVersionInfo.GetVersionInfo(type.Assembly.Location).FileVersion ?? "?";

    private static T Configure<T>(T config, Uri serviceUrl, HttpClientFactory factory)
        where T : ClientConfig
    {
        config.ServiceURL = serviceUrl.ToString();
        config.AuthenticationRegion = Region;
        config.RetryMode = RequestRetryMode.Standard;
        config.MaxErrorRetry = 2;
        config.ResignRetries = true;
        config.Timeout = TimeSpan.FromSeconds(30);
        config.HttpClientFactory = factory;
        return config;
    }

    private static async Task SendRawAsync(HttpClient http, Uri endpoint, SignedQueryRequest signed)
    {
        using var request = signed.ToHttpRequest(endpoint);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Check(response.StatusCode == HttpStatusCode.OK && body.Length > 0);
    }

    private static void Check(bool ok)
    {
        if (!ok)
        {
            throw new InvalidOperationException("A measured call did not answer as the fixture says.");
        }
    }

    /// <summary>Hands the SDK the shared HttpClient and never disposes it (as the portal's factory does).</summary>
    private sealed class SharedHttpClientFactory(HttpClient client) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => client;

        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;
    }
}
