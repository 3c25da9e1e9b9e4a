using System.Collections.Concurrent;

namespace LabPortal.Sandbox.Accounts;

/// <summary>
/// Every account's quotas in memory, read by the services on each call that creates something
/// (<see cref="SandboxAccountStore"/> persists and loads them). Its own singleton so the services that
/// enforce quotas need not depend on the account store, which depends on them for cleanup.
/// </summary>
public sealed class AccountQuotaBook
{
    private readonly ConcurrentDictionary<string, SandboxAccountQuotas> _quotas = new(StringComparer.Ordinal);

    public SandboxAccountQuotas? Find(string accountId) => _quotas.GetValueOrDefault(accountId);

    internal void Set(string accountId, SandboxAccountQuotas? quotas)
    {
        if (quotas is null)
        {
            _quotas.TryRemove(accountId, out _);
        }
        else
        {
            _quotas[accountId] = quotas;
        }
    }
}
