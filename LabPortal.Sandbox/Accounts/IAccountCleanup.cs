using LabPortal.Sandbox.State;

namespace LabPortal.Sandbox.Accounts;

/// <summary>
/// Lets a service release what lives outside the persisted state (machines, health checkers,
/// data-plane routes) when an account is deleted. Called while the account's scope is held, before
/// its state is dropped. Register with <c>services.AddSingleton&lt;IAccountCleanup, X&gt;()</c>.
/// </summary>
public interface IAccountCleanup
{
    Task CleanUpAsync(AccountScope scope, CancellationToken cancellationToken);
}
