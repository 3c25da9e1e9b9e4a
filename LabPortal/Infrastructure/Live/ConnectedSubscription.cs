namespace LabPortal.Infrastructure.Live;

/// <summary>
/// A subscription held only while the circuit's browser is connected: the subscribe function
/// runs now (if connected) and again on each reconnect; the subscription is disposed when the
/// connection goes down and when this is disposed.
/// </summary>
public sealed class ConnectedSubscription : IAsyncDisposable
{
    private readonly CircuitConnection _connection;
    private readonly Func<IAsyncDisposable> _subscribe;
    private readonly Lock _gate = new();
    private IAsyncDisposable? _current;
    private bool _disposed;

    public ConnectedSubscription(CircuitConnection connection, Func<IAsyncDisposable> subscribe)
    {
        _connection = connection;
        _subscribe = subscribe;
        _connection.Changed += OnChanged;
        OnChanged(_connection.IsConnected);
    }

    /// <summary>True while the underlying subscription is held.</summary>
    public bool IsActive
    {
        get
        {
            lock (_gate)
            {
                return _current is not null;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _connection.Changed -= OnChanged;
        IAsyncDisposable? current;
        lock (_gate)
        {
            _disposed = true;
            current = _current;
            _current = null;
        }

        if (current is not null)
        {
            await current.DisposeAsync();
        }
    }

    private void OnChanged(bool connected)
    {
        IAsyncDisposable? dropped = null;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            if (connected)
            {
                _current ??= _subscribe();
            }
            else
            {
                dropped = _current;
                _current = null;
            }
        }

        if (dropped is not null)
        {
            _ = dropped.DisposeAsync().AsTask();
        }
    }
}
