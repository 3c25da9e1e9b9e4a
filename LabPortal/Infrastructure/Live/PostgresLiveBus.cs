using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LabPortal.Infrastructure.Live;

/// <summary>
/// Live changes between nodes through PostgreSQL LISTEN/NOTIFY. Each node keeps one long-lived
/// listening connection; a message is <c>node:topic:id</c> (well under NOTIFY's 8000 bytes), and a
/// node drops its own messages since it told its own subscribers directly. A dropped listening
/// connection is opened again after <see cref="LiveOptions.ReconnectDelay"/>; the notifications sent
/// meanwhile are lost, so subscribers are then told to re-read (<see cref="Resynced"/>). Live panel
/// snapshots can exceed the payload limit: they go into a table and the message names the run.
/// </summary>
public sealed partial class PostgresLiveBus : ILiveBus, IHostedService, IAsyncDisposable
{
    private readonly NodeDatabase _database;
    private readonly LiveOptions _options;
    private readonly ILogger<PostgresLiveBus> _logger;
    private readonly Channel<string> _outbox = System.Threading.Channels.Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _listener;
    private Task? _sender;
    private int _listenerProcessId;
    private int _resyncs;
    private const int Disposed = 2;

    private int _disposed;

    public PostgresLiveBus(NodeDatabase database, IOptions<LiveOptions> options, ILogger<PostgresLiveBus> logger)
    {
        _database = database;
        _options = options.Value;
        _logger = logger;
    }

    public event Action<LiveTopic, int>? Received;

    public event Action? Resynced;

    /// <summary>This node's id on the wire (a new one each start).</summary>
    public string NodeId { get; } = Guid.NewGuid().ToString("N");

    public bool SpansNodes => true;

    /// <summary>The server process of the listening connection now, or 0 while disconnected (tests end it to show the reconnect).</summary>
    public int ListenerProcessId => Volatile.Read(ref _listenerProcessId);

    /// <summary>How often the listening connection came back after a drop.</summary>
    public int Resyncs => Volatile.Read(ref _resyncs);

    public void Send(LiveTopic topic, int id) =>
        _outbox.Writer.TryWrite(string.Create(CultureInfo.InvariantCulture, $"{NodeId}:{(char)topic}:{id}"));

    public async Task ShareAsync(int runId, string snapshot, CancellationToken cancellationToken = default)
    {
        await _database.EnsureSchemaAsync();
        await using var command = _database.DataSource.CreateCommand(
            """
            INSERT INTO labportal_live_snapshots (run_id, node, taken_at, body) VALUES (@run, @node, now(), @body)
            ON CONFLICT (run_id) DO UPDATE SET node = excluded.node, taken_at = excluded.taken_at, body = excluded.body
            """);
        command.Parameters.AddWithValue("run", runId);
        command.Parameters.AddWithValue("node", NodeId);
        command.Parameters.AddWithValue("body", snapshot);
        await command.ExecuteNonQueryAsync(cancellationToken);
        Send(LiveTopic.PanelSnapshot, runId);
    }

    public async Task<string?> ReadSharedAsync(int runId, CancellationToken cancellationToken = default)
    {
        await _database.EnsureSchemaAsync();
        await using var command = _database.DataSource.CreateCommand("SELECT body FROM labportal_live_snapshots WHERE run_id = @run");
        command.Parameters.AddWithValue("run", runId);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>Starts listening and returns once the first LISTEN is in place, so nothing sent after start is missed.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _database.EnsureSchemaAsync().WaitAsync(cancellationToken);
        _listener ??= Task.Run(() => ListenAsync(_stop.Token), CancellationToken.None);
        _sender ??= Task.Run(() => SendAsync(_stop.Token), CancellationToken.None);
        await _listening.Task.WaitAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // The container may dispose this before the host stops it (a test's factory); disposal stopped it already.
        if (Volatile.Read(ref _disposed) == Disposed)
        {
            return;
        }

        _outbox.Writer.TryComplete();
        if (_sender is not null)
        {
            // What was published before the stop still goes out, unless the host's stop timeout ends the wait.
            await _sender.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
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
        if (_listener is not null)
        {
            await _listener.ContinueWith(_ => { }, TaskScheduler.Default);
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
        Volatile.Write(ref _disposed, Disposed);
    }

    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        var first = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _database.DataSource.OpenConnectionAsync(cancellationToken);
                connection.Notification += OnNotification;
                await using (var listen = new NpgsqlCommand($"LISTEN {_options.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken);
                }

                Volatile.Write(ref _listenerProcessId, connection.ProcessID);
                _listening.TrySetResult();
                if (!first)
                {
                    Interlocked.Increment(ref _resyncs);
                    LogResynced(_options.Channel);
                    Resynced?.Invoke();
                }

                first = false;
                while (true)
                {
                    if (!await connection.WaitAsync(_options.Heartbeat, cancellationToken))
                    {
                        // Nothing arrived for a while: a query shows whether the server is still there.
                        await using var ping = new NpgsqlCommand("SELECT 1", connection);
                        await ping.ExecuteScalarAsync(cancellationToken);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Whatever ended the connection (the server, the network, a terminated backend), listen again.
                Volatile.Write(ref _listenerProcessId, 0);
                LogListenDropped(e, _options.Channel);
                try
                {
                    await Task.Delay(_options.ReconnectDelay, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        var parts = e.Payload.Split(':');
        if (parts.Length != 3 || parts[0] == NodeId || parts[1].Length != 1
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return;
        }

        var topic = (LiveTopic)parts[1][0];
        if (!Enum.IsDefined(topic))
        {
            return;
        }

        try
        {
            Received?.Invoke(topic, id);
        }
        catch (Exception exception)
        {
            // A subscriber's failure must not end the listening connection.
            LogHandlerFailed(exception, topic, id);
        }
    }

    private async Task SendAsync(CancellationToken cancellationToken)
    {
        var batch = new List<string>();
        try
        {
            while (await _outbox.Reader.WaitToReadAsync(cancellationToken))
            {
                while (batch.Count < 200 && _outbox.Reader.TryRead(out var message))
                {
                    batch.Add(message);
                }

                try
                {
                    await using var connection = await _database.DataSource.OpenConnectionAsync(cancellationToken);
                    await using var batchCommand = connection.CreateBatch();
                    foreach (var message in batch)
                    {
                        var command = new NpgsqlBatchCommand("SELECT pg_notify(@channel, @payload)");
                        command.Parameters.AddWithValue("channel", _options.Channel);
                        command.Parameters.AddWithValue("payload", message);
                        batchCommand.BatchCommands.Add(command);
                    }

                    await batchCommand.ExecuteNonQueryAsync(cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The other nodes miss these; when their own listening connection was cut too, they re-read on reconnect.
                    LogSendFailed(e, batch.Count);
                }

                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live changes: the listening connection on channel {Channel} dropped; reconnecting")]
    private partial void LogListenDropped(Exception exception, string channel);

    [LoggerMessage(Level = LogLevel.Information, Message = "Live changes: listening on channel {Channel} again; subscribers re-read")]
    private partial void LogResynced(string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live changes: {Count} message(s) could not be sent to the other nodes")]
    private partial void LogSendFailed(Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live changes: a handler of {Topic} {Id} failed")]
    private partial void LogHandlerFailed(Exception exception, LiveTopic topic, int id);
}
