using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LabPortal.Tests.Support;

/// <summary>
/// A throw-away PostgreSQL 15 cluster from the machine's binaries (<c>initdb</c> + <c>pg_ctl</c>) in a
/// temp folder, on a free loopback port, trust authentication; stopped and deleted on dispose. As root
/// (CI) the server runs as the <c>postgres</c> user, since PostgreSQL refuses to run as root.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    public const string BinDirectory = "/usr/lib/postgresql/15/bin";

    private readonly string _directory;
    private readonly bool _asPostgres;

    private PostgresCluster(string directory, int port, bool asPostgres)
    {
        _directory = directory;
        Port = port;
        _asPostgres = asPostgres;
    }

    public int Port { get; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=labportal;Database=postgres;Pooling=true;Timeout=15";

    public static async Task<PostgresCluster> StartAsync()
    {
        if (!File.Exists(Path.Combine(BinDirectory, "initdb")))
        {
            throw new InvalidOperationException($"PostgreSQL 15's binaries are missing from {BinDirectory} (apt-get install postgresql-15).");
        }

        var directory = Path.Combine(Path.GetTempPath(), "labportal-pg-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        var asPostgres = Environment.UserName == "root";
        if (asPostgres)
        {
            await RunAsync("chown", ["postgres:postgres", directory], asPostgres: false);
        }

        var cluster = new PostgresCluster(directory, FreePort(), asPostgres);
        var data = Path.Combine(directory, "data");
        await cluster.RunAsync(Path.Combine(BinDirectory, "initdb"), ["-D", data, "-U", "labportal", "-A", "trust", "-E", "UTF8", "--no-sync"]);
        await cluster.RunAsync(Path.Combine(BinDirectory, "pg_ctl"),
            ["-D", data, "-l", Path.Combine(directory, "server.log"), "-w", "-t", "60", "-o", $"-p {cluster.Port} -k {directory} -h 127.0.0.1 -c fsync=off", "start"]);
        return cluster;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAsync(Path.Combine(BinDirectory, "pg_ctl"), ["-D", Path.Combine(_directory, "data"), "-m", "immediate", "-w", "stop"]);
        }
        finally
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private Task RunAsync(string file, IReadOnlyList<string> arguments) => RunAsync(file, arguments, _asPostgres);

    private static async Task RunAsync(string file, IReadOnlyList<string> arguments, bool asPostgres)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (asPostgres)
        {
            foreach (var argument in new[] { "-u", "postgres", "--", file })
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {process.ExitCode}:\n{await output}\n{await error}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
