using System.Diagnostics;
using System.Globalization;

namespace LabPortal.Bench;

/// <summary>
/// A throw-away PostgreSQL 15 cluster for the scaleout bench: the machine's binaries (<c>initdb</c>, <c>pg_ctl</c>) in
/// the run's scratch folder, on a free loopback port, trust authentication, <c>fsync=off</c> (as the tests' clusters).
/// As root the server runs as the <c>postgres</c> user, since PostgreSQL refuses to run as root. <c>pg_ctl</c> starts
/// the postmaster as a daemon (not a child of the bench), so its process id is read from <c>postmaster.pid</c>; its
/// backends are its children. A watchdog stops it if the bench ends without disposing it.
/// </summary>
internal sealed class PostgresServer : IAsyncDisposable
{
    public const string BinDirectory = "/usr/lib/postgresql/15/bin";

    private readonly string _directory;
    private readonly bool _asPostgres;

    private PostgresServer(string directory, int port, bool asPostgres)
    {
        _directory = directory;
        Port = port;
        _asPostgres = asPostgres;
    }

    public int Port { get; }

    private string DataDirectory => Path.Combine(_directory, "data");

    /// <summary>The postmaster's process id (its backends are its children).</summary>
    public int ProcessId { get; private set; }

    public string LogPath => Path.Combine(_directory, "server.log");

    /// <summary>The server's version, for the report.</summary>
    public static Task<string> VersionAsync() => ProcessRunner.VersionAsync(Path.Combine(BinDirectory, "postgres"), "--version");

    /// <summary>The connection string of <paramref name="database"/> (the portal's pool on).</summary>
    public string ConnectionString(string database) => $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username=labportal;Database={database};Pooling=true;Timeout=15";

    public static async Task<PostgresServer> StartAsync(string directory, int maxConnections)
    {
        if (!File.Exists(Path.Combine(BinDirectory, "initdb")))
        {
            throw new InvalidOperationException($"PostgreSQL 15's binaries are missing from {BinDirectory} (apt-get install postgresql-15).");
        }

        Directory.CreateDirectory(directory);
        var asPostgres = Environment.UserName == "root";
        if (asPostgres)
        {
            await RunAsync("chown", ["postgres:postgres", directory], asPostgres: false);
        }

        var server = new PostgresServer(directory, ChildProcess.FreeLoopbackPort(), asPostgres);
        await server.RunAsync(Path.Combine(BinDirectory, "initdb"), ["-D", server.DataDirectory, "-U", "labportal", "-A", "trust", "-E", "UTF8", "--no-sync"]);
        var pgCtl = Path.Combine(BinDirectory, "pg_ctl");
        Watchdog.StopWhenBenchEnds($"{(asPostgres ? "runuser -u postgres -- " : "")}{pgCtl} -D '{server.DataDirectory}' -m immediate -w stop");
        await server.RunAsync(pgCtl,
            ["-D", server.DataDirectory, "-l", server.LogPath, "-w", "-t", "60", "-o", $"-p {server.Port} -k {directory} -h 127.0.0.1 -c fsync=off -c max_connections={maxConnections}", "start"]);
        server.ProcessId = int.Parse(File.ReadLines(Path.Combine(server.DataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
        await server.RunAsync(Path.Combine(BinDirectory, "createdb"), ["-h", "127.0.0.1", "-p", server.Port.ToString(CultureInfo.InvariantCulture), "-U", "labportal", "labportal"]);
        return server;
    }

    /// <summary>Stops the server at once and deletes its data (the log stays in the scratch folder).</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAsync(Path.Combine(BinDirectory, "pg_ctl"), ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]);
        }
        finally
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }

    private Task RunAsync(string file, IReadOnlyList<string> arguments) => RunAsync(file, arguments, _asPostgres);

    private static async Task RunAsync(string file, IReadOnlyList<string> arguments, bool asPostgres)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (asPostgres ? ["-u", "postgres", "--", file] : Array.Empty<string>()).Concat(arguments))
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
}
