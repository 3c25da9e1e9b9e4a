using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace LabPortal.Tests.Support;

/// <summary>
/// The standalone sandbox as a real process (<c>dotnet LabPortal.Sandbox.dll</c>, its build output), configured
/// through environment variables the way an operator would. <see cref="StopAsync"/> sends SIGTERM (a graceful
/// stop, as Ctrl+C); <see cref="Kill"/> SIGKILL.
/// </summary>
public sealed partial class SandboxProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource<(Uri Api, Uri DataPlane)> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SandboxProcess(Process process) => _process = process;

    public Uri Api { get; private set; } = null!;

    public Uri DataPlane { get; private set; } = null!;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>What the process printed so far.</summary>
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

    /// <summary>The built <c>LabPortal.Sandbox.dll</c> for the configuration the tests were built in.</summary>
    public static string SandboxAssembly
    {
        get
        {
            var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            return Path.Combine(Artifacts.RepositoryRoot(), "LabPortal.Sandbox", "bin", testOutput.Parent!.Name, testOutput.Name, "LabPortal.Sandbox.dll");
        }
    }

    /// <param name="workingDirectory">The process's current folder (its default data folder <c>sandbox-data</c> is under it).</param>
    /// <param name="settings">Configuration keys (<c>Sandbox:ApiPort</c> ...), passed as environment variables.</param>
    public static async Task<SandboxProcess> StartAsync(string workingDirectory, IReadOnlyDictionary<string, string?> settings)
    {
        var assembly = SandboxAssembly;
        if (!File.Exists(assembly))
        {
            throw new InvalidOperationException($"{assembly} is missing: build the solution first.");
        }

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["Logging__LogLevel__Default"] = "Information";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var sandbox = new SandboxProcess(process);
        process.OutputDataReceived += (_, e) => sandbox.Read(e.Data);
        process.ErrorDataReceived += (_, e) => sandbox.Read(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var first = await Task.WhenAny(sandbox._listening.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        if (first != sandbox._listening.Task)
        {
            sandbox.Dispose();
            throw new InvalidOperationException("The sandbox process did not start listening:\n" + sandbox.Output);
        }

        (sandbox.Api, sandbox.DataPlane) = await sandbox._listening.Task;
        return sandbox;
    }

    /// <summary>SIGTERM, then waits for the process to end by itself; the exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!;
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL at once.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public void Dispose()
    {
        try
        {
            Kill();
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
            _listening.TrySetResult((new Uri(match.Groups["api"].Value), new Uri(match.Groups["data"].Value)));
        }
    }

    [GeneratedRegex(@"Sandbox listening: API (?<api>http://\S+), data plane (?<data>http://\S+),")]
    private static partial Regex ListeningLine();
}
