using System.Globalization;
using System.Security.Cryptography;

namespace LabPortal.Bench;

/// <summary>
/// The standalone sandbox (README "Running several nodes"): <c>dotnet LabPortal.Sandbox.dll</c>, the build output of
/// the sandbox's own project in the bench's configuration (so its own runtime settings), a child process on free
/// loopback ports with a random admin key, its state in the run's scratch folder.
/// </summary>
internal sealed class StandaloneSandbox : IAsyncDisposable
{
    private readonly ChildProcess _child;

    private StandaloneSandbox(ChildProcess child, Uri api, Uri dataPlane, string adminKey)
    {
        _child = child;
        Api = api;
        DataPlane = dataPlane;
        AdminKey = adminKey;
    }

    public Uri Api { get; }

    public Uri DataPlane { get; }

    public string AdminKey { get; }

    public int ProcessId => _child.ProcessId;

    /// <summary>What a portal node needs to use this sandbox instead of an embedded one.</summary>
    public IReadOnlyDictionary<string, string> NodeSettings => new Dictionary<string, string>
    {
        ["Sandbox:Enabled"] = "false",
        ["Sandbox:ApiUrl"] = Api.ToString(),
        ["Sandbox:DataPlaneUrl"] = DataPlane.ToString(),
        ["Sandbox:AdminKey"] = AdminKey,
    };

    /// <summary>LabPortal.Sandbox/bin/&lt;configuration&gt;/&lt;framework&gt;/LabPortal.Sandbox.dll, built with the bench (a project reference).</summary>
    public static string Assembly
    {
        get
        {
            var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            return Path.Combine(PortalProcess.RepositoryRoot(), "LabPortal.Sandbox", "bin", output.Parent!.Name, output.Name, "LabPortal.Sandbox.dll");
        }
    }

    public static async Task<StandaloneSandbox> StartAsync(string directory, double timeScale)
    {
        var assembly = Assembly;
        if (!File.Exists(assembly))
        {
            throw new InvalidOperationException($"{assembly} is missing: build the bench (it builds the sandbox's project) first.");
        }

        Directory.CreateDirectory(directory);
        var apiPort = ChildProcess.FreeLoopbackPort();
        var dataPlanePort = ChildProcess.FreeLoopbackPort();
        var adminKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        var inv = CultureInfo.InvariantCulture;
        string[] arguments =
        [
            assembly,
            $"--Sandbox:ApiPort={apiPort.ToString(inv)}",
            $"--Sandbox:DataPlanePort={dataPlanePort.ToString(inv)}",
            $"--Sandbox:AdminKey={adminKey}",
            $"--Sandbox:TimeScale={timeScale.ToString(inv)}",
            $"--Sandbox:DataDirectory={Path.Combine(directory, "sandbox-data")}",
            // As the portal host logs: warnings and errors only (a log line per request would be CPU the embedded setup does not spend).
            "--Logging:LogLevel:Default=Warning",
        ];
        var child = (await ChildProcess.StartAsync("dotnet", arguments, apiPort, Path.Combine(directory, "sandbox.log"), TimeSpan.FromSeconds(90))).KilledWhenBenchEnds();
        var sandbox = new StandaloneSandbox(child, new Uri($"http://127.0.0.1:{apiPort.ToString(inv)}/"), new Uri($"http://127.0.0.1:{dataPlanePort.ToString(inv)}/"), adminKey);
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = sandbox.Api, Timeout = TimeSpan.FromSeconds(10) };
            await BenchEnvironment.WaitUntilAsync(
                async () => (await http.GetAsync("/_sandbox/health")).IsSuccessStatusCode,
                "the standalone sandbox's health",
                TimeSpan.FromSeconds(60));
        }
        catch
        {
            await sandbox.DisposeAsync();
            throw;
        }

        return sandbox;
    }

    public ValueTask DisposeAsync() => _child.DisposeAsync();
}
