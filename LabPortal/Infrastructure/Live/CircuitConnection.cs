using Microsoft.AspNetCore.Components.Server.Circuits;

namespace LabPortal.Infrastructure.Live;

/// <summary>
/// Whether this circuit's browser is connected. A closed tab's circuit is kept for a while (Blazor
/// waits for a reconnect, 3 minutes by default); components that make the portal work for the viewer
/// (a live panel's poller) stop while nobody can see them and start again on reconnect.
/// One per circuit: registered scoped, and as the circuit's <see cref="CircuitHandler"/>.
/// </summary>
public sealed class CircuitConnection : CircuitHandler
{
    private readonly Lock _gate = new();

    public bool IsConnected { get; private set; } = true;

    /// <summary>Raised with the new state when the browser goes away or comes back.</summary>
    public event Action<bool>? Changed;

    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Set(false);
        return Task.CompletedTask;
    }

    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Set(true);
        return Task.CompletedTask;
    }

    private void Set(bool connected)
    {
        lock (_gate)
        {
            if (IsConnected == connected)
            {
                return;
            }

            IsConnected = connected;
        }

        Changed?.Invoke(connected);
    }
}
