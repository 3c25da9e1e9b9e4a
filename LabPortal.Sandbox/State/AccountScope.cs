namespace LabPortal.Sandbox.State;

/// <summary>
/// Holds one account's lock. Read state with <see cref="Read{T}"/>, change it through
/// <see cref="Write{T}"/> (which marks the region's section for persistence), and queue work that
/// must run after the lock is released (events, boots) with <see cref="OnReleased"/>.
/// Disposing persists the changed sections, releases the lock, then runs the queued work.
/// Never await another account's scope, nor this account's again, while holding one.
/// </summary>
public sealed class AccountScope : IAsyncDisposable
{
    private readonly SandboxState _state;
    private readonly AccountState _account;
    private readonly HashSet<SectionKey> _dirty = [];
    private readonly List<Action> _afterRelease = [];
    private bool _disposed;
    private bool _dropped;

    internal AccountScope(SandboxState state, string accountId, AccountState account)
    {
        _state = state;
        AccountId = accountId;
        _account = account;
    }

    public string AccountId { get; }

    /// <summary>The account's <typeparamref name="T"/> state in <paramref name="region"/>, seeded on first use.</summary>
    public T Read<T>(string region)
        where T : class, IRegionState
    {
        var section = _state.SectionFor(typeof(T));
        var key = new SectionKey(section.Name, region);
        if (!_account.Entries.TryGetValue(key, out var entry))
        {
            entry = new SectionEntry { Value = section.Create(region) };
            _account.Entries[key] = entry;

            // Seeded ids (the default VPC's) must survive a restart, so a seed is a change.
            _dirty.Add(key);
        }

        entry.Value ??= SandboxState.Deserialize(section, entry.Json!);
        return (T)entry.Value;
    }

    /// <summary>As <see cref="Read{T}"/>, and marks the section to be persisted when the scope ends.</summary>
    public T Write<T>(string region)
        where T : class, IRegionState
    {
        var value = Read<T>(region);
        _dirty.Add(new SectionKey(_state.SectionFor(typeof(T)).Name, region));
        return value;
    }

    /// <summary>The state if the region was ever touched, without seeding it (background work uses this).</summary>
    public T? Find<T>(string region)
        where T : class, IRegionState
    {
        var section = _state.SectionFor(typeof(T));
        if (!_account.Entries.TryGetValue(new SectionKey(section.Name, region), out var entry))
        {
            return null;
        }

        entry.Value ??= SandboxState.Deserialize(section, entry.Json!);
        return (T)entry.Value;
    }

    /// <summary>Marks a section changed after mutating an object obtained with <see cref="Read{T}"/> or <see cref="Find{T}"/>.</summary>
    public void MarkChanged<T>(string region)
        where T : class, IRegionState => _dirty.Add(new SectionKey(_state.SectionFor(typeof(T)).Name, region));

    /// <summary>Every region that holds <typeparamref name="T"/> state for this account.</summary>
    public IReadOnlyList<(string Region, T State)> All<T>()
        where T : class, IRegionState
    {
        var section = _state.SectionFor(typeof(T));
        return _account.Entries.Keys
            .Where(k => k.Section == section.Name)
            .Select(k => k.Region)
            .ToList()
            .Select(region => (region, Find<T>(region)!))
            .ToList();
    }

    /// <summary>Every deserializable section of every region (for resource scans).</summary>
    public IReadOnlyList<IRegionState> AllSections()
    {
        var result = new List<IRegionState>();
        foreach (var (key, entry) in _account.Entries)
        {
            if (_state.TryGetSection(key.Section, out var section))
            {
                entry.Value ??= SandboxState.Deserialize(section, entry.Json!);
                result.Add(entry.Value);
            }
        }

        return result;
    }

    /// <summary>Queues work to run once the lock is released (raising events, starting background flows).</summary>
    public void OnReleased(Action action) => _afterRelease.Add(action);

    /// <summary>Forgets every section of the account, in memory and on disk (account deletion).</summary>
    internal async Task DropAllAsync(CancellationToken cancellationToken)
    {
        _dirty.Clear();
        _dropped = true;
        await _state.DropAsync(AccountId, _account, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (_dirty.Count > 0 && !_dropped)
            {
                var dirty = _dirty
                    .Where(_account.Entries.ContainsKey)
                    .Select(k => (k, _account.Entries[k].Value!))
                    .ToList();
                await _state.PersistAsync(AccountId, dirty, CancellationToken.None);
            }
        }
        finally
        {
            _account.Gate.Release();
        }

        foreach (var action in _afterRelease)
        {
            try
            {
                action();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Follow-up work must not undo a call that already succeeded; it logs and goes on.
                _state.LogAfterReleaseFailure(ex, AccountId);
            }
        }
    }
}
