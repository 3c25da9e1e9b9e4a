using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LabPortal.Infrastructure.Live;

/// <summary>
/// One poller per watched run across all nodes: a run's lease is a session-level PostgreSQL advisory
/// lock (<see cref="NodeDatabase.LockSpace"/>, run id) held on this node's own lease connection. A node
/// that wants a run another node holds tries again every <see cref="LiveOptions.LeaseRetryInterval"/>;
/// when the holder stops watching it unlocks, and when the holder dies its connection ends and the
/// server drops its locks, so another watcher takes over within about one retry interval. When this
/// node's lease connection fails, it stops claiming every lease at once (the server has released them) and
/// reconnects at the next round.
/// </summary>
public sealed partial class PostgresRunLeases : IRunLeases, IHostedService, IAsyncDisposable
{
    private readonly NodeDatabase _database;
    private readonly LiveOptions _options;
    private readonly ILogger<PostgresRunLeases> _logger;
    private readonly ConcurrentDictionary<int, byte> _wanted = new();
    private readonly ConcurrentDictionary<int, byte> _held = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private NpgsqlConnection? _connection;
    private Task? _loop;
    private const int Disposed = 2;

    private int _disposed;

    public PostgresRunLeases(NodeDatabase database, IOptions<LiveOptions> options, ILogger<PostgresRunLeases> logger)
    {
        _database = database;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>The server process of the lease connection, or 0 while there is none.</summary>
    public int ConnectionProcessId => _connection?.ProcessID ?? 0;

    public void Want(int runId)
    {
        _wanted[runId] = 0;
        _wake.Release();
    }

    public void Release(int runId)
    {
        _wanted.TryRemove(runId, out _);
        _wake.Release();
    }

    public bool Holds(int runId) => _wanted.ContainsKey(runId) && _held.ContainsKey(runId);

    public event Action<int>? Taken;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop ??= Task.Run(() => LoopAsync(_stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // The container may dispose this before the host stops it (a test's factory); disposal stopped it already.
        if (Volatile.Read(ref _disposed) == Disposed)
        {
            return;
        }

        try
        {
            await _stop.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            // A disposal running at the same time stopped everything already.
            return;
        }
        if (_loop is not null)
        {
            await _loop.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        _held.Clear();
        if (_connection is not null)
        {
            // Closing the session releases every lock it held: the other nodes take over at their next try.
            await _connection.DisposeAsync();
            _connection = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Registered under several services, the one instance is handed to the container's disposal more than once.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopAsync(CancellationToken.None);
        _stop.Dispose();
        _wake.Dispose();
        Volatile.Write(ref _disposed, Disposed);
    }

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await RoundAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The session is gone, and its locks with it: claim none until they are taken again.
                _held.Clear();
                LogConnectionLost(e);
                if (_connection is not null)
                {
                    await _connection.DisposeAsync();
                    _connection = null;
                }
            }

            try
            {
                await _wake.WaitAsync(_options.LeaseRetryInterval, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Takes the free leases of watched runs, gives back those of runs no longer watched, and proves the session alive.</summary>
    private async Task RoundAsync(CancellationToken cancellationToken)
    {
        if (_wanted.IsEmpty && _held.IsEmpty)
        {
            return;
        }

        if (_connection is null)
        {
            _connection = await _database.DataSource.OpenConnectionAsync(cancellationToken);
        }

        foreach (var runId in _held.Keys.Where(id => !_wanted.ContainsKey(id)).ToList())
        {
            await LockCommandAsync("pg_advisory_unlock", runId, cancellationToken);
            _held.TryRemove(runId, out _);
        }

        foreach (var runId in _wanted.Keys.Where(id => !_held.ContainsKey(id)).ToList())
        {
            if (await LockCommandAsync("pg_try_advisory_lock", runId, cancellationToken))
            {
                _held[runId] = 0;
                LogLeaseTaken(runId);
                Taken?.Invoke(runId);
            }
        }

        await using var ping = new NpgsqlCommand("SELECT 1", _connection);
        await ping.ExecuteScalarAsync(cancellationToken);
    }

    private async Task<bool> LockCommandAsync(string function, int runId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT {function}(@space, @run)", _connection);
        command.Parameters.AddWithValue("space", NodeDatabase.LockSpace);
        command.Parameters.AddWithValue("run", runId);
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Live panel: this node now polls run {RunId}")]
    private partial void LogLeaseTaken(int runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live panel: the lease connection failed; this node polls no run until it takes their leases again")]
    private partial void LogConnectionLost(Exception exception);
}
