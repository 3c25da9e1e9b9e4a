using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace LabPortal.Tests.Support;

/// <summary>
/// Debian's nginx (<c>/usr/sbin/nginx</c>, installed by <c>.ci/run</c>) running the repository's
/// <c>deploy/nginx.conf</c> filled with loopback ports: its own temp prefix, in the foreground, no root needed.
/// </summary>
public sealed class NginxProcess : IDisposable
{
    public const string NginxPath = "/usr/sbin/nginx";

    private readonly Process _process;
    private readonly string _prefix;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();

    private NginxProcess(Process process, string prefix, Uri address)
    {
        _process = process;
        _prefix = prefix;
        Address = address;
    }

    /// <summary>Where browsers connect (<c>http://127.0.0.1:port/</c>).</summary>
    public Uri Address { get; }

    /// <summary>The template in the repository.</summary>
    public static string Template => Path.Combine(Artifacts.RepositoryRoot(), "deploy", "nginx.conf");

    /// <summary>What nginx printed and logged (error log, then access log).</summary>
    public string Output
    {
        get
        {
            string printed;
            lock (_gate)
            {
                printed = _output.ToString();
            }

            return printed + ReadLog("error.log") + ReadLog("access.log");
        }
    }

    /// <summary>The template filled for <paramref name="upstreams"/> (host:port of each node).</summary>
    public static string Fill(string prefix, int port, IEnumerable<string> upstreams) =>
        File.ReadAllText(Template)
            .Replace("{{prefix}}", prefix, StringComparison.Ordinal)
            .Replace("{{listen}}", $"127.0.0.1:{port}", StringComparison.Ordinal)
            .Replace("{{upstream_servers}}", string.Join("\n        ", upstreams.Select(u => $"server {u} max_fails=1 fail_timeout=10s;")), StringComparison.Ordinal);

    /// <param name="upstreams">host:port of each portal node.</param>
    public static async Task<NginxProcess> StartAsync(IEnumerable<string> upstreams)
    {
        if (!File.Exists(NginxPath))
        {
            throw new InvalidOperationException($"{NginxPath} is missing: install Debian's nginx package (`.ci/run` does).");
        }

        var port = FreePort.Next();

        // A folder of nginx's own (config, pid, logs, temp files), readable by its workers: as root (CI) they run as
        // "nobody", which a test's private temp folder would shut out.
        var prefix = Path.Combine(Path.GetTempPath(), "labportal-nginx-" + Guid.NewGuid().ToString("N")[..8]);
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The ScaleOut lane runs Debian's nginx.");
        }

        Directory.CreateDirectory(prefix, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var config = Path.Combine(prefix, "nginx.conf");
        await File.WriteAllTextAsync(config, Fill(prefix, port, upstreams));
        var start = new ProcessStartInfo(NginxPath) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-p", prefix, "-c", config, "-e", Path.Combine(prefix, "error.log") })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("nginx did not start.");
        var nginx = new NginxProcess(process, prefix, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => nginx.Read(e.Data);
        process.ErrorDataReceived += (_, e) => nginx.Read(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // Ready when its port accepts a connection.
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (process.HasExited)
            {
                break;
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port);
                return nginx;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        var output = nginx.Output;
        nginx.Dispose();
        throw new InvalidOperationException("nginx did not start listening:\n" + output);
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                // SIGTERM: nginx's fast shutdown of master and workers; SIGKILL if it lingers.
                using (var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } }))
                {
                    kill?.WaitForExit(5_000);
                }

                if (!_process.WaitForExit(10_000))
                {
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit(5_000);
                }
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_prefix, recursive: true);
        }
        catch (IOException)
        {
            // A worker may still hold a temp file for a moment; the OS cleans temp later.
        }
        catch (UnauthorizedAccessException)
        {
            // Temp folders nginx made for its workers; the OS cleans temp later.
        }
    }

    private string ReadLog(string name)
    {
        var path = Path.Combine(_prefix, name);
        try
        {
            return File.Exists(path) ? $"--- nginx {name}\n{File.ReadAllText(path)}" : "";
        }
        catch (IOException)
        {
            return "";
        }
    }

    private void Read(string? line)
    {
        if (line is not null)
        {
            lock (_gate)
            {
                _output.AppendLine(line);
            }
        }
    }
}
