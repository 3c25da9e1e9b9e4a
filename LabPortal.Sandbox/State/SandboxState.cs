using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;

namespace LabPortal.Sandbox.State;

/// <summary>
/// Every account's control-plane state, in memory, with write-through persistence. Each account
/// has one lock shared by all services, so a call that touches EC2 and ELBv2 state (a security
/// group in use by a load balancer) is atomic, while different accounts never block each other.
/// Enter with <see cref="EnterAsync"/>; everything else happens on the returned <see cref="AccountScope"/>.
/// </summary>
public sealed class SandboxState
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly ConcurrentDictionary<string, AccountState> _accounts = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, StateSection> _byType;
    private readonly Dictionary<string, StateSection> _byName;
    private readonly SandboxDatabase _database;
    private readonly TimeProvider _time;
    private readonly ILogger<SandboxState> _logger;

    public SandboxState(IEnumerable<StateSection> sections, SandboxDatabase database, TimeProvider time, ILogger<SandboxState> logger)
    {
        var list = sections.ToList();
        _byType = list.ToDictionary(s => s.StateType);
        _byName = list.ToDictionary(s => s.Name, StringComparer.Ordinal);
        _database = database;
        _time = time;
        _logger = logger;
    }

    /// <summary>Accounts that hold any state.</summary>
    public IReadOnlyCollection<string> AccountIds => _accounts.Keys.ToList();

    /// <summary>Takes the account's lock; dispose the scope to persist what changed and release it.</summary>
    public async Task<AccountScope> EnterAsync(string accountId, CancellationToken cancellationToken = default)
    {
        var account = _accounts.GetOrAdd(accountId, _ => new AccountState());
        await account.Gate.WaitAsync(cancellationToken);
        return new AccountScope(this, accountId, account);
    }

    internal async Task LoadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT account_id, section, region, json FROM region_state";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var count = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            var account = _accounts.GetOrAdd(reader.GetString(0), _ => new AccountState());
            account.Entries[new SectionKey(reader.GetString(1), reader.GetString(2))] = new SectionEntry { Json = reader.GetString(3) };
            count++;
        }

        _logger.LogInformation("Sandbox state loaded: {Sections} sections of {Accounts} accounts", count, _accounts.Count);
    }

    internal StateSection SectionFor(Type type) =>
        _byType.TryGetValue(type, out var section)
            ? section
            : throw new InvalidOperationException($"No StateSection is registered for {type.Name}; call AddSandboxStateSection.");

    internal bool TryGetSection(string name, out StateSection section) => _byName.TryGetValue(name, out section!);

    internal static IRegionState Deserialize(StateSection section, string json) =>
        (IRegionState)(JsonSerializer.Deserialize(json, section.StateType, Json)
            ?? throw new InvalidOperationException($"Persisted {section.Name} state is empty."));

    internal async Task PersistAsync(string accountId, IReadOnlyList<(SectionKey Key, IRegionState Value)> dirty, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        await _database.WriteAsync(
            async connection =>
            {
                await using var transaction = connection.BeginTransaction();
                foreach (var (key, value) in dirty)
                {
                    await using var command = connection.CreateCommand();
                    command.Transaction = transaction;
                    command.CommandText = """
                        INSERT INTO region_state (account_id, section, region, json, updated_at)
                        VALUES ($account, $section, $region, $json, $now)
                        ON CONFLICT (account_id, section, region) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at
                        """;
                    command.Parameters.AddWithValue("$account", accountId);
                    command.Parameters.AddWithValue("$section", key.Section);
                    command.Parameters.AddWithValue("$region", key.Region);
                    command.Parameters.AddWithValue("$json", JsonSerializer.Serialize(value, value.GetType(), Json));
                    command.Parameters.AddWithValue("$now", now);
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
            },
            cancellationToken);
    }

    internal void LogAfterReleaseFailure(Exception exception, string accountId) =>
        _logger.LogError(exception, "Follow-up work of account {AccountId} failed", accountId);

    internal async Task DropAsync(string accountId, AccountState account, CancellationToken cancellationToken)
    {
        account.Entries.Clear();
        await _database.WriteAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "DELETE FROM region_state WHERE account_id = $account";
                command.Parameters.AddWithValue("$account", accountId);
                await command.ExecuteNonQueryAsync(cancellationToken);
            },
            cancellationToken);
    }
}

internal readonly record struct SectionKey(string Section, string Region);

internal sealed class SectionEntry
{
    public string? Json { get; set; }

    public IRegionState? Value { get; set; }
}

internal sealed class AccountState
{
    public SemaphoreSlim Gate { get; } = new(1, 1);

    public Dictionary<SectionKey, SectionEntry> Entries { get; } = [];
}
