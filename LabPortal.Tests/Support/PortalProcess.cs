using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace LabPortal.Tests.Support;

/// <summary>
/// The portal as a real operating-system process (<c>dotnet LabPortal.dll</c>, the build output next
/// to the tests' own), on a free loopback port, configured through environment variables the way an
/// operator would. <see cref="CrashAsync"/> kills it with SIGKILL: no shutdown hook, no job completes.
/// </summary>
public sealed partial class PortalProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PortalProcess(Process process)
    {
        _process = process;
    }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>True once the process has ended (killed or crashed).</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>What the process printed so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The portal's built <c>LabPortal.dll</c> for the configuration the tests were built in.</summary>
    public static string PortalAssembly
    {
        get
        {
            var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var framework = testOutput.Name;
            var configuration = testOutput.Parent!.Name;
            return Path.Combine(Artifacts.RepositoryRoot(), "LabPortal", "bin", configuration, framework, "LabPortal.dll");
        }
    }

    /// <param name="settings">
    /// Configuration keys (<c>Section:Key</c>), passed as environment variables. Without a <c>ConnectionStrings:Portal</c>,
    /// the process gets the database its <c>Portal:DataDirectory</c> goes with (<see cref="TestDatabase"/>), as a
    /// <see cref="PortalFactory"/> on that folder would: a process and an in-process portal on one folder share it.
    /// </param>
    /// <param name="environment">The host environment (Development serves the packages' static files as <c>dotnet run</c> does).</param>
    /// <param name="url">Where Kestrel listens; port 0 picks a free one (read <see cref="BaseAddress"/>).</param>
    public static async Task<PortalProcess> StartAsync(IReadOnlyDictionary<string, string?> settings, string environment = "Testing", string url = "http://127.0.0.1:0")
    {
        var assembly = PortalAssembly;
        if (!File.Exists(assembly))
        {
            throw new InvalidOperationException($"{assembly} is missing: build the solution first.");
        }

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        start.Environment["ASPNETCORE_URLS"] = url;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        // The one line that tells us the port Kestrel picked.
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        if (!settings.ContainsKey("ConnectionStrings:Portal") && settings.GetValueOrDefault("Portal:DataDirectory") is { } dataDirectory
            && TestDatabase.PortalConnectionString(dataDirectory, TestDatabase.ProviderOf(dataDirectory)) is { } connectionString)
        {
            start.Environment["ConnectionStrings__Portal"] = connectionString;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var portal = new PortalProcess(process);
        process.OutputDataReceived += (_, e) => portal.Read(e.Data);
        process.ErrorDataReceived += (_, e) => portal.Read(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(portal._listening.Task, exited, Task.Delay(TimeSpan.FromSeconds(90)));
        if (first != portal._listening.Task)
        {
            portal.Dispose();
            throw new InvalidOperationException("The portal process did not start listening:\n" + portal.Output);
        }

        portal.BaseAddress = await portal._listening.Task;
        return portal;
    }

    /// <summary>A browser-like client (cookies kept, redirects not followed) for this process.</summary>
    public PortalClient CreatePortalClient(string? acceptLanguage = "en") =>
        new(new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = BaseAddress }, acceptLanguage);

    /// <summary>Kills the process at once (SIGKILL), the way a power cut or the OOM killer would.</summary>
    public async Task CrashAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    private void Read(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _output.AppendLine(line);
        }

        if (ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();
}
