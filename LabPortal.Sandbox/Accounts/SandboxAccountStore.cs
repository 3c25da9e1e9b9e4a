using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using LabPortal.Sandbox.Core;
using LabPortal.Sandbox.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LabPortal.Sandbox.Accounts;

/// <summary>Accounts, persisted in the sandbox database and cached for signature checks on every call.</summary>
public sealed class SandboxAccountStore : ISandboxAccounts, IDisposable
{
    /// <summary>The playground account's id (the all-zero id other local emulators use too).</summary>
    public const string PlaygroundAccountId = "000000000000";

    private const string UpperAlphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private const string SecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private readonly ConcurrentDictionary<string, SandboxAccount> _byAccessKey = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SandboxAccount> _byId = new(StringComparer.Ordinal);
    private readonly AccountQuotaBook _quotas;

    // Temporary credentials from STS AssumeRole, by access key (in memory: a restart ends every session, and a
    // caller assumes the role again, as after an expiry).
    private readonly ConcurrentDictionary<string, SandboxAccount> _sessions = new(StringComparer.Ordinal);
    private readonly SandboxDatabase _database;
    private readonly SandboxState _state;
    private readonly IEnumerable<IAccountCleanup> _cleanups;
    private readonly TimeProvider _time;
    private readonly ILogger<SandboxAccountStore> _logger;
    private readonly SemaphoreSlim _createGate = new(1, 1);

    public SandboxAccountStore(
        SandboxDatabase database,
        SandboxState state,
        IEnumerable<IAccountCleanup> cleanups,
        AccountQuotaBook quotas,
        TimeProvider time,
        IOptions<SandboxOptions> options,
        ILogger<SandboxAccountStore> logger)
    {
        _database = database;
        _state = state;
        _cleanups = cleanups;
        _quotas = quotas;
        _time = time;
        _logger = logger;
        if (options.Value.AllowPlaygroundCredentials)
        {
            // ARCHITECTURE.md: a built-in playground account with access key "test" / secret "test".
            Add(new SandboxAccount(PlaygroundAccountId, "test", "test") { Label = "playground", IsPlayground = true });
        }
    }

    /// <summary>The account a request's access key belongs to, or null (checked on every call, so synchronous).</summary>
    public SandboxAccount? FindByAccessKey(string accessKeyId) => _byAccessKey.GetValueOrDefault(accessKeyId) ?? _sessions.GetValueOrDefault(accessKeyId);

    /// <summary>
    /// Temporary credentials for <paramref name="accountId"/> (STS AssumeRole): an <c>ASIA</c> access key, a secret
    /// and a session token, valid for <paramref name="lifetime"/>. Sessions past their expiry are dropped here.
    /// </summary>
    public SandboxAccount StartSession(string accountId, string label, TimeSpan lifetime)
    {
        var now = _time.GetUtcNow();
        foreach (var (key, old) in _sessions)
        {
            if (old.SessionExpiresAt < now - TimeSpan.FromMinutes(1))
            {
                _sessions.TryRemove(key, out _);
            }
        }

        SandboxAccount session;
        do
        {
            session = new SandboxAccount(accountId, "ASIA" + RandomNumberGenerator.GetString(UpperAlphanumerics, 16), RandomNumberGenerator.GetString(SecretAlphabet, 40))
            {
                Label = label,
                CreatedAt = now,
                SessionToken = "IQoJb3JpZ2luX2VjE" + RandomNumberGenerator.GetString(SecretAlphabet, 200),
                SessionExpiresAt = now + lifetime,
            };
        }
        while (_byAccessKey.ContainsKey(session.AccessKeyId) || !_sessions.TryAdd(session.AccessKeyId, session));

        return session;
    }

    /// <summary>The STS sessions issued into <paramref name="accountId"/> that have not been dropped, oldest first.</summary>
    public IReadOnlyList<SandboxAccount> SessionsOf(string accountId) =>
        [.. _sessions.Values.Where(s => s.AccountId == accountId).OrderBy(s => s.CreatedAt)];

    public int Count => _byId.Count;

    internal async Task LoadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT account_id, label, access_key_id, secret_access_key, created_at FROM accounts";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            Add(new SandboxAccount(reader.GetString(0), reader.GetString(2), reader.GetString(3))
            {
                Label = reader.GetString(1),
                CreatedAt = DateTimeOffset.Parse(reader.GetString(4), CultureInfo.InvariantCulture),
            });
        }

        await using var quotas = connection.CreateCommand();
        quotas.CommandText = "SELECT account_id, json FROM account_quotas";
        await using var quotaReader = await quotas.ExecuteReaderAsync(cancellationToken);
        while (await quotaReader.ReadAsync(cancellationToken))
        {
            if (JsonSerializer.Deserialize<SandboxAccountQuotas>(quotaReader.GetString(1)) is { } value)
            {
                _quotas.Set(quotaReader.GetString(0), value);
            }
        }
    }

    /// <summary>The account's quotas, or null when it has none (a lookup in memory).</summary>
    public SandboxAccountQuotas? FindQuotas(string accountId) => _quotas.Find(accountId);

    public Task<SandboxAccountQuotas?> FindQuotasAsync(string accountId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_quotas.Find(accountId));

    public async Task<bool> SetQuotasAsync(string accountId, SandboxAccountQuotas? quotas, CancellationToken cancellationToken = default)
    {
        if (!_byId.ContainsKey(accountId))
        {
            return false;
        }

        await _database.WriteAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand();
                command.CommandText = quotas is null
                    ? "DELETE FROM account_quotas WHERE account_id = $id"
                    : "INSERT INTO account_quotas (account_id, json) VALUES ($id, $json) ON CONFLICT(account_id) DO UPDATE SET json = excluded.json";
                command.Parameters.AddWithValue("$id", accountId);
                if (quotas is not null)
                {
                    command.Parameters.AddWithValue("$json", JsonSerializer.Serialize(quotas));
                }

                await command.ExecuteNonQueryAsync(cancellationToken);
            },
            cancellationToken);
        _quotas.Set(accountId, quotas);
        return true;
    }

    public async Task<SandboxAccount> CreateAccountAsync(string label, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(label);
        await _createGate.WaitAsync(cancellationToken);
        try
        {
            string accountId;
            do
            {
                // 12 digits, never starting with 0 so it cannot collide with the playground id.
                accountId = RandomNumberGenerator.GetInt32(1, 10).ToString(CultureInfo.InvariantCulture)
                    + RandomNumberGenerator.GetString("0123456789", 11);
            }
            while (_byId.ContainsKey(accountId));

            string accessKeyId;
            do
            {
                // IAM access keys: "AKIA" + 16 upper-case base-32 characters (20 in all).
                accessKeyId = "AKIA" + RandomNumberGenerator.GetString(UpperAlphanumerics, 16);
            }
            while (_byAccessKey.ContainsKey(accessKeyId));

            var account = new SandboxAccount(accountId, accessKeyId, RandomNumberGenerator.GetString(SecretAlphabet, 40))
            {
                Label = label,
                CreatedAt = _time.GetUtcNow(),
            };
            await _database.WriteAsync(
                async connection =>
                {
                    await using var command = connection.CreateCommand();
                    command.CommandText = """
                        INSERT INTO accounts (account_id, label, access_key_id, secret_access_key, created_at)
                        VALUES ($id, $label, $key, $secret, $created)
                        """;
                    command.Parameters.AddWithValue("$id", account.AccountId);
                    command.Parameters.AddWithValue("$label", account.Label);
                    command.Parameters.AddWithValue("$key", account.AccessKeyId);
                    command.Parameters.AddWithValue("$secret", account.SecretAccessKey);
                    command.Parameters.AddWithValue("$created", account.CreatedAt.ToString("O", CultureInfo.InvariantCulture));
                    await command.ExecuteNonQueryAsync(cancellationToken);
                },
                cancellationToken);
            Add(account);
            _logger.LogInformation("Sandbox account {AccountId} created for {Label}", account.AccountId, label);
            return account;
        }
        finally
        {
            _createGate.Release();
        }
    }

    public async Task<bool> DeleteAccountAsync(string accountId, CancellationToken cancellationToken = default)
    {
        if (!_byId.TryGetValue(accountId, out var account))
        {
            return false;
        }

        await using (var scope = await _state.EnterAsync(accountId, cancellationToken))
        {
            foreach (var cleanup in _cleanups)
            {
                await cleanup.CleanUpAsync(scope, cancellationToken);
            }

            await scope.DropAllAsync(cancellationToken);
        }

        if (account.IsPlayground)
        {
            // The playground account is built in: deleting it resets it, the keys keep working.
            return true;
        }

        await _database.WriteAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "DELETE FROM accounts WHERE account_id = $id; DELETE FROM account_quotas WHERE account_id = $id";
                command.Parameters.AddWithValue("$id", accountId);
                await command.ExecuteNonQueryAsync(cancellationToken);
            },
            cancellationToken);
        _byId.TryRemove(accountId, out _);
        _quotas.Set(accountId, null);
        foreach (var (key, session) in _sessions)
        {
            if (session.AccountId == accountId)
            {
                _sessions.TryRemove(key, out _);
            }
        }

        _byAccessKey.TryRemove(account.AccessKeyId, out _);
        _logger.LogInformation("Sandbox account {AccountId} deleted", accountId);
        return true;
    }

    public Task<IReadOnlyList<SandboxAccount>> ListAccountsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<SandboxAccount>>(_byId.Values.OrderBy(a => a.CreatedAt).ThenBy(a => a.AccountId, StringComparer.Ordinal).ToList());

    /// <summary>The account with this id, or null (a lookup in memory).</summary>
    public SandboxAccount? FindAccountSync(string accountId) => _byId.GetValueOrDefault(accountId);

    public Task<SandboxAccount?> FindAccountAsync(string accountId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_byId.GetValueOrDefault(accountId));

    public async Task<IReadOnlyList<SandboxResource>> ListResourcesAsync(string accountId, CancellationToken cancellationToken = default)
    {
        if (!_byId.ContainsKey(accountId))
        {
            return [];
        }

        await using var scope = await _state.EnterAsync(accountId, cancellationToken);
        return scope.AllSections().SelectMany(s => s.ListResources()).ToList();
    }

    public async Task<int> CountResourcesAsync(string accountId, CancellationToken cancellationToken = default) =>
        (await ListResourcesAsync(accountId, cancellationToken)).Count;

    public void Dispose() => _createGate.Dispose();

    private void Add(SandboxAccount account)
    {
        _byId[account.AccountId] = account;
        _byAccessKey[account.AccessKeyId] = account;
    }
}
