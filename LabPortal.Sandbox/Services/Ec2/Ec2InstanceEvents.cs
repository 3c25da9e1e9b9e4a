using System.Threading.Channels;
using LabPortal.Sandbox.Core;
using LabPortal.Sandbox.State;
using Microsoft.Extensions.Logging;

namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>
/// The event bus of instance state changes: a change is queued when the account's scope is released
/// (so a subscriber never sees a change that was rolled back) and handed to every subscriber in order,
/// one at a time, outside any lock.
/// </summary>
public sealed class Ec2InstanceEvents : IDisposable
{
    private readonly SandboxClock _clock;
    private readonly SandboxBackgroundWork _background;
    private readonly ILogger<Ec2InstanceEvents> _logger;
    private readonly Channel<InstanceStateChanged> _events = Channel.CreateUnbounded<InstanceStateChanged>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _subscribersLock = new();
    private Func<InstanceStateChanged, CancellationToken, Task>[] _subscribers = [];

    public Ec2InstanceEvents(SandboxClock clock, SandboxBackgroundWork background, ILogger<Ec2InstanceEvents> logger)
    {
        _clock = clock;
        _background = background;
        _logger = logger;
    }

    public IDisposable Subscribe(Func<InstanceStateChanged, CancellationToken, Task> handler)
    {
        lock (_subscribersLock)
        {
            _subscribers = [.. _subscribers, handler];
        }

        return new Unsubscriber(() =>
        {
            lock (_subscribersLock)
            {
                _subscribers = _subscribers.Where(h => h != handler).ToArray();
            }
        });
    }

    /// <summary>Queues the change from <paramref name="previous"/> to the instance's current state for when <paramref name="scope"/> is released.</summary>
    public void Raise(AccountScope scope, string region, Ec2Instance instance, Ec2InstanceState previous)
    {
        var change = new InstanceStateChanged(scope.AccountId, region, instance.InstanceId, previous, instance.State, _clock.UtcNow);
        scope.OnReleased(() => _events.Writer.TryWrite(change));
    }

    /// <summary>Starts handing queued changes to the subscribers (once, when the sandbox has started).</summary>
    public void StartDispatching() => _background.Run("instance events", DispatchEventsAsync);

    public void Dispose() => _events.Writer.TryComplete();

    private async Task DispatchEventsAsync(CancellationToken cancellationToken)
    {
        await foreach (var change in _events.Reader.ReadAllAsync(cancellationToken))
        {
            foreach (var subscriber in _subscribers)
            {
                try
                {
                    await subscriber(change, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _logger.LogError(ex, "Instance state subscriber failed on {InstanceId} {State}", change.InstanceId, change.CurrentState);
                }
            }
        }
    }

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;

        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
