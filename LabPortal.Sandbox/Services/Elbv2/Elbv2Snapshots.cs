using System.Collections.Concurrent;

namespace LabPortal.Sandbox.Services.Elbv2;

/// <summary>The latest <see cref="Elbv2Snapshot"/> of every account and region; <see cref="Changed"/> fires after each publish.</summary>
public sealed class Elbv2Snapshots
{
    private readonly ConcurrentDictionary<(string AccountId, string Region), Elbv2Snapshot> _snapshots = new();

    public event Action? Changed;

    public IEnumerable<Elbv2Snapshot> All => _snapshots.Values;

    public Elbv2Snapshot? Find(string accountId, string region) => _snapshots.GetValueOrDefault((accountId, region));

    public void Publish(Elbv2Snapshot snapshot)
    {
        _snapshots[(snapshot.AccountId, snapshot.Region)] = snapshot;
        Changed?.Invoke();
    }

    public void RemoveAccount(string accountId)
    {
        foreach (var key in _snapshots.Keys.Where(k => k.AccountId == accountId).ToList())
        {
            _snapshots.TryRemove(key, out _);
        }

        Changed?.Invoke();
    }
}
