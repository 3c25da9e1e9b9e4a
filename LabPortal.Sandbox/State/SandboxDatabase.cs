using LabPortal.Sandbox.Core;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace LabPortal.Sandbox.State;

/// <summary>
/// The sandbox's own SQLite file (ARCHITECTURE.md "state": the control plane persists in its own
/// file, apart from the portal's database). Two tables: accounts, and one JSON document per
/// account x state section x region, written through after every mutating call.
/// </summary>
public sealed class SandboxDatabase : IDisposable
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    public SandboxDatabase(IOptions<SandboxOptions> options)
    {
        var directory = Path.GetFullPath(options.Value.DataDirectory);
        FilePath = Path.Combine(directory, "sandbox.db");
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString();
    }

    public string FilePath { get; }

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS accounts (
                account_id TEXT PRIMARY KEY,
                label TEXT NOT NULL,
                access_key_id TEXT NOT NULL UNIQUE,
                secret_access_key TEXT NOT NULL,
                created_at TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS region_state (
                account_id TEXT NOT NULL,
                section TEXT NOT NULL,
                region TEXT NOT NULL,
                json TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (account_id, section, region));
            CREATE TABLE IF NOT EXISTS account_quotas (
                account_id TEXT PRIMARY KEY,
                json TEXT NOT NULL);
            """;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout = 5000;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    /// <summary>Runs one write; writes are serialized so concurrent accounts never see SQLITE_BUSY.</summary>
    public async Task WriteAsync(Func<SqliteConnection, Task> write, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await write(connection);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public void Dispose() => _writeGate.Dispose();
}
