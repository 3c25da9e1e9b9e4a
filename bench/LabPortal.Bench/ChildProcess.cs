using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LabPortal.Bench;

/// <summary>
/// A server run as a child process (moto, nginx) on a free loopback port. Disposing kills it and
/// its children, found from its own process id, never by name.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _logPath;

    private ChildProcess(Process process, int port, string logPath)
    {
        _process = process;
        Port = port;
        _logPath = logPath;
    }

    public int Port { get; }

    /// <summary>The tool's own process id (the shell execs it).</summary>
    public int ProcessId => _process.Id;

    public Uri Url => new($"http://127.0.0.1:{Port}/");

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Starts <paramref name="file"/> with its output going to <paramref name="logPath"/> and waits until
    /// <paramref name="port"/> accepts a TCP connection. The shell execs the tool, so the process id is
    /// the tool's own, and the log never passes through this process (moto logs every request; reading
    /// it here would take CPU from the servers being measured).
    /// </summary>
    public static async Task<ChildProcess> StartAsync(string file, IEnumerable<string> arguments, int port, string logPath, TimeSpan startupTimeout)
    {
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (var argument in new[] { "-c", "log=$1; shift; exec \"$@\" >\"$log\" 2>&1", "sh", logPath, file }.Concat(arguments))
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
        var child = new ChildProcess(process, port, logPath);

        var deadline = DateTime.UtcNow + startupTimeout;
        while (true)
        {
            if (process.HasExited)
            {
                var log = child.Log;
                await child.DisposeAsync();
                throw new InvalidOperationException($"{file} exited with {process.ExitCode} before listening: {log}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return child;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
            catch (SocketException)
            {
                await child.DisposeAsync();
                throw new TimeoutException($"{file} did not listen on port {port} within {startupTimeout.TotalSeconds:0} s.");
            }
        }
    }

    /// <summary>Kills this process (SIGKILL) if the bench ends without disposing it (killed by <c>timeout</c>, Ctrl+C).</summary>
    public ChildProcess KilledWhenBenchEnds()
    {
        Watchdog.StopWhenBenchEnds($"kill -KILL {ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)}", ProcessId);
        return this;
    }

    /// <summary>The end of the tool's output.</summary>
    public string Log
    {
        get
        {
            try
            {
                var text = File.ReadAllText(_logPath);
                return text.Length > 4000 ? text[^4000..] : text;
            }
            catch (IOException)
            {
                return "";
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
