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

    private const string SharedPrefix = "labportal-pg-shared-";

    private static readonly Lazy<Task<PostgresCluster>> SharedCluster = new(StartSharedAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    public int Port { get; }

    /// <summary>
    /// One cluster for the whole test process, started on first use and stopped when the process exits: each
    /// portal fixture on PostgreSQL gets a database of its own in it (<see cref="TestDatabase"/>), which costs far
    /// less than a cluster of its own.
    /// </summary>
    public static Task<PostgresCluster> SharedAsync() => SharedCluster.Value;

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=labportal;Database=postgres;Pooling=true;Timeout=15";

    /// <param name="maxConnections">The server's <c>max_connections</c>: the shared cluster serves many portals at once, each with its pool and job workers.</param>
    /// <param name="prefix">The temp folder's name starts with it.</param>
    public static async Task<PostgresCluster> StartAsync(int maxConnections = 100, string prefix = "labportal-pg-")
    {
        if (!File.Exists(Path.Combine(BinDirectory, "initdb")))
        {
            throw new InvalidOperationException($"PostgreSQL 15's binaries are missing from {BinDirectory} (apt-get install postgresql-15).");
        }

        var directory = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N")[..8]);
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
            ["-D", data, "-l", Path.Combine(directory, "server.log"), "-w", "-t", "60", "-o", $"-p {cluster.Port} -k {directory} -h 127.0.0.1 -c fsync=off -c max_connections={maxConnections}", "start"]);
        cluster.StartWatchdog(data);
        return cluster;
    }

    /// <summary>
    /// Stops the server and removes its folder once this test process has ended in any way: the runner may kill the
    /// test host, and then no exit handler or dispose runs (the shared cluster outlived every run before this). A small
    /// shell loop in a session of its own checks once a second that this process still lives. After a normal dispose
    /// it finds nothing left to stop.
    /// </summary>
    private void StartWatchdog(string data)
    {
        var pgCtl = Path.Combine(BinDirectory, "pg_ctl");
        var stop = _asPostgres ? $"runuser -u postgres -- {pgCtl}" : pgCtl;
        var script = $"exec </dev/null >/dev/null 2>&1; while kill -0 {Environment.ProcessId}; do sleep 1; done; {stop} -D '{data}' -m immediate -w stop; rm -rf '{_directory}'";
        var start = new ProcessStartInfo("setsid") { UseShellExecute = false };
        foreach (var argument in new[] { "sh", "-c", script })
        {
            start.ArgumentList.Add(argument);
        }

        using var watchdog = Process.Start(start) ?? throw new InvalidOperationException("setsid did not start the cluster's watchdog.");
    }

    /// <summary>The connection string of <paramref name="database"/> in this cluster.</summary>
    public string ConnectionStringFor(string database) =>
        new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString) { Database = database }.ConnectionString;

    /// <summary>Creates an empty database (from <c>template1</c>, as <c>createdb</c> does) and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string database)
    {
        await using var connection = new Npgsql.NpgsqlConnection(ConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // The name is made by the tests (letters, digits, underscores), quoted; CREATE DATABASE takes no parameters.
        command.CommandText = $"CREATE DATABASE \"{database}\"";
#pragma warning restore CA2100
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        return ConnectionStringFor(database);
    }

    private static async Task<PostgresCluster> StartSharedAsync()
    {
        RemoveStoppedSharedClusters();
        var cluster = await StartAsync(maxConnections: 400, SharedPrefix).ConfigureAwait(false);
        // xunit 2 has no assembly-wide fixture: the process's exit is the end of the last test.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return cluster;
    }

    /// <summary>
    /// The test host may be ended before its exit handler has deleted the shared cluster's folder (the server is
    /// stopped by then): folders of earlier runs whose server is gone (no <c>postmaster.pid</c>) are removed here.
    /// </summary>
    private static void RemoveStoppedSharedClusters()
    {
        foreach (var stale in new DirectoryInfo(Path.GetTempPath()).EnumerateDirectories(SharedPrefix + "*"))
        {
            if (!File.Exists(Path.Combine(stale.FullName, "data", "postmaster.pid")) && stale.LastWriteTimeUtc < DateTime.UtcNow.AddMinutes(-10))
            {
                try
                {
                    stale.Delete(recursive: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Another test process is removing it too, or it is another user's: left as it is.
                }
            }
        }
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
