using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace LabPortal.Tests.Support;

/// <summary>
/// Several portal nodes as child processes behind nginx, sharing one standalone sandbox process, on free loopback
/// ports (the Category=ScaleOut tests; README "Running several nodes"). Each node is <c>dotnet LabPortal.dll</c>
/// with <c>Sandbox:Enabled=false</c> and the sandbox's URLs and admin key; its database is
/// <see cref="ScaleOutOptions.PortalConnectionString"/> (shared by every node, e.g. a <see cref="PostgresCluster"/>),
/// or, without one, a SQLite file in the node's own data folder (nodes then share nothing but the sandbox).
/// The Data Protection keys live in the portal's database, so nodes on one database read each other's cookies.
/// <see cref="KillNodeAsync"/> is SIGKILL; <see cref="StartNodeAsync"/> brings the node back on its port.
/// Every process's output is written to <c>TestResults/artifacts/scaleout/&lt;name&gt;/</c> on dispose.
/// </summary>
public sealed class ScaleOutCluster : IAsyncDisposable
{
    private readonly ScaleOutOptions _options;
    private readonly TempDirectory _root = new("labportal-scaleout");
    private readonly PortalProcess?[] _nodes;
    private readonly int[] _ports;
    private readonly List<string> _finishedOutputs = [];

    private ScaleOutCluster(ScaleOutOptions options)
    {
        _options = options;
        _nodes = new PortalProcess?[options.Nodes];
        _ports = [.. Enumerable.Range(0, options.Nodes).Select(_ => FreePort.Next())];
        AdminKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
    }

    /// <summary>The shared admin key of the sandbox and the nodes (random per cluster).</summary>
    public string AdminKey { get; }

    public SandboxProcess Sandbox { get; private set; } = null!;

    public NginxProcess Nginx { get; private set; } = null!;

    /// <summary>Where students connect: nginx.</summary>
    public Uri NginxUrl => Nginx.Address;

    /// <summary>Each node's own address (its port stays the same across <see cref="StartNodeAsync"/>).</summary>
    public IReadOnlyList<Uri> NodeUrls => [.. _ports.Select(p => new Uri($"http://127.0.0.1:{p}/"))];

    /// <summary>The sandbox's working folder (its state is in <c>sandbox-data</c> under it).</summary>
    public string SandboxDirectory => Path.Combine(_root.Path, "sandbox");

    public PortalProcess Node(int index) => _nodes[index] ?? throw new InvalidOperationException($"Node {index} is not running.");

    public bool IsRunning(int index) => _nodes[index] is { HasExited: false };

    public static async Task<ScaleOutCluster> StartAsync(ScaleOutOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var cluster = new ScaleOutCluster(options);
        try
        {
            await cluster.StartSandboxAsync();
            for (var i = 0; i < options.Nodes; i++)
            {
                await cluster.StartNodeAsync(i);
            }

            cluster.Nginx = await NginxProcess.StartAsync(cluster._ports.Select(p => $"127.0.0.1:{p}"));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the standalone sandbox (again, after <see cref="SandboxProcess.StopAsync"/>): same folder, same ports once chosen.</summary>
    public async Task StartSandboxAsync()
    {
        if (Sandbox is { HasExited: false })
        {
            throw new InvalidOperationException("The sandbox is running.");
        }

        if (Sandbox is not null)
        {
            _finishedOutputs.Add("=== sandbox (earlier run)\n" + Sandbox.Output);
            Sandbox.Dispose();
        }

        Directory.CreateDirectory(SandboxDirectory);
        var settings = new Dictionary<string, string?>
        {
            ["Sandbox:ApiPort"] = (Sandbox?.Api.Port ?? FreePort.Next()).ToString(CultureInfo.InvariantCulture),
            ["Sandbox:DataPlanePort"] = (Sandbox?.DataPlane.Port ?? FreePort.Next()).ToString(CultureInfo.InvariantCulture),
            ["Sandbox:AdminKey"] = AdminKey,
            ["Sandbox:TimeScale"] = _options.SandboxTimeScale.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in _options.SandboxSettings)
        {
            settings[key] = value;
        }

        Sandbox = await SandboxProcess.StartAsync(SandboxDirectory, settings);
    }

    /// <summary>Starts node <paramref name="index"/> on its port (again, after <see cref="KillNodeAsync"/>): same data folder.</summary>
    public async Task StartNodeAsync(int index)
    {
        if (IsRunning(index))
        {
            throw new InvalidOperationException($"Node {index} is running.");
        }

        if (_nodes[index] is { } old)
        {
            _finishedOutputs.Add($"=== node {index} (earlier run)\n{old.Output}");
            old.Dispose();
        }

        var data = Path.Combine(_root.Path, $"node{index}");
        Directory.CreateDirectory(data);
        var settings = new Dictionary<string, string?>
        {
            ["Portal:DataDirectory"] = data,
            ["Portal:JsonLogs"] = "false",
            ["Accounts:InitialInstructorUserName"] = PortalFactory.InstructorUserName,
            ["Accounts:InitialInstructorPassword"] = PortalFactory.InstructorPassword,
            ["Labs:Directory"] = E2E.Lab1Flow.ShippedLabs,
            ["Sandbox:Enabled"] = "false",
            ["Sandbox:ApiUrl"] = Sandbox.Api.ToString(),
            ["Sandbox:DataPlaneUrl"] = Sandbox.DataPlane.ToString(),
            ["Sandbox:AdminKey"] = AdminKey,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        if (_options.PortalConnectionString is { } connectionString)
        {
            settings["ConnectionStrings:Portal"] = connectionString;
        }

        foreach (var (key, value) in _options.NodeSettings)
        {
            settings[key] = value;
        }

        _nodes[index] = await PortalProcess.StartAsync(settings, _options.Environment, $"http://127.0.0.1:{_ports[index]}");
    }

    /// <summary>The name of the job server that answers <c>/healthz</c> at <paramref name="address"/> (with nginx's sticky cookie, if given): how an answer tells which node gave it.</summary>
    public static async Task<string> ServerNameAsync(Uri address, string? stickyCookie = null)
    {
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = address };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/healthz", UriKind.Relative));
        if (stickyCookie is not null)
        {
            request.Headers.Add("Cookie", "lp_node=" + stickyCookie);
        }

        using var response = await http.SendAsync(request);
        return ServerName(await response.Content.ReadAsStringAsync());
    }

    /// <summary>The job server's name in a <c>/healthz</c> report (each node's is its own).</summary>
    public static string ServerName(string healthJson) =>
        System.Text.Json.JsonDocument.Parse(healthJson).RootElement.GetProperty("checks").GetProperty("jobs").GetProperty("data").GetProperty("server").GetString()
            ?? throw new InvalidOperationException("The health report names no job server: " + healthJson);

    /// <summary>
    /// A value of nginx's sticky cookie (<c>lp_node</c>) that nginx sends to node <paramref name="index"/>: found by asking
    /// through nginx with made-up values until one lands there (the hash is nginx's own). A browser given it starts on that node.
    /// </summary>
    public async Task<string> StickyCookieForAsync(int index)
    {
        var wanted = await ServerNameAsync(NodeUrls[index]);
        for (var i = 0; i < 64; i++)
        {
            var value = $"probe-{index}-{i}";
            if (await ServerNameAsync(NginxUrl, value) == wanted)
            {
                return value;
            }
        }

        throw new InvalidOperationException($"No sticky cookie of 64 tried lands on node {index}.");
    }

    /// <summary>The standalone sandbox's admin API as the nodes use it (accounts and what each still owns); dispose it.</summary>
    public LabPortal.Infrastructure.Cloud.RemoteSandboxAccounts SandboxAdmin()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new LabPortal.Infrastructure.Cloud.ExternalSandboxOptions { Enabled = false, ApiUrl = Sandbox.Api, DataPlaneUrl = Sandbox.DataPlane, AdminKey = AdminKey });
        var connection = new LabPortal.Infrastructure.Cloud.SandboxConnection(Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(new Microsoft.Extensions.DependencyInjection.ServiceCollection()), options, TimeProvider.System);
        return new LabPortal.Infrastructure.Cloud.RemoteSandboxAccounts(options, connection, Microsoft.Extensions.Logging.Abstractions.NullLogger<LabPortal.Infrastructure.Cloud.RemoteSandboxAccounts>.Instance);
    }

    /// <summary>SIGKILL of node <paramref name="index"/>: no shutdown hook runs, its circuits and jobs are cut.</summary>
    public async Task KillNodeAsync(int index) => await Node(index).CrashAsync();

    /// <summary>Every process's output so far, for a failure message.</summary>
    public string Logs()
    {
        var text = new StringBuilder();
        foreach (var finished in _finishedOutputs)
        {
            text.AppendLine(finished);
        }

        if (Sandbox is not null)
        {
            text.AppendLine("=== sandbox").AppendLine(Sandbox.Output);
        }

        for (var i = 0; i < _nodes.Length; i++)
        {
            if (_nodes[i] is { } node)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"=== node {i} ({NodeUrls[i]})").AppendLine(node.Output);
            }
        }

        if (Nginx is not null)
        {
            text.AppendLine("=== nginx").AppendLine(Nginx.Output);
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            var folder = Path.Combine(Artifacts.Directory, "scaleout", _options.Name);
            Directory.CreateDirectory(folder);
            await File.WriteAllTextAsync(Path.Combine(folder, "processes.log"), Logs());
        }
        finally
        {
            Nginx?.Dispose();
            foreach (var node in _nodes)
            {
                node?.Dispose();
            }

            Sandbox?.Dispose();
            _root.Dispose();
        }
    }
}
