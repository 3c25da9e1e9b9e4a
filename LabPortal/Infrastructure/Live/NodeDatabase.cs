using Npgsql;

namespace LabPortal.Infrastructure.Live;

/// <summary>
/// The PostgreSQL database the nodes share, as the live components see it: plain Npgsql on the
/// portal's connection string, and the two small tables they keep for themselves, created on first use
/// (docs/decisions/live-changes-across-nodes.md: not EF migrations).
/// </summary>
public sealed class NodeDatabase : IAsyncDisposable
{
    /// <summary>The first key of every advisory lock the live components take (the second is a run's id, or 0 for the schema).</summary>
    public const int LockSpace = 0x4C50_4C56;

    private readonly Lock _gate = new();
    private Task? _schema;

    public NodeDatabase(string connectionString)
    {
        DataSource = NpgsqlDataSource.Create(connectionString);
    }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>
    /// Creates the tables if this is the first node to need them (once per process, again only after a
    /// failed try, e.g. the database was unreachable; safe when nodes start together).
    /// </summary>
    public Task EnsureSchemaAsync()
    {
        lock (_gate)
        {
            if (_schema is null || _schema.IsFaulted || _schema.IsCanceled)
            {
                _schema = CreateSchemaAsync(CancellationToken.None);
            }

            return _schema;
        }
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    private async Task CreateSchemaAsync(CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Two nodes creating the same table at once can collide in the catalog: one at a time.
        await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@space, 0)", connection, transaction))
        {
            command.Parameters.AddWithValue("space", LockSpace);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var command = new NpgsqlCommand(
            """
            CREATE TABLE IF NOT EXISTS labportal_live_snapshots (
                run_id integer PRIMARY KEY,
                node text NOT NULL,
                taken_at timestamptz NOT NULL,
                body text NOT NULL);
            CREATE TABLE IF NOT EXISTS labportal_call_budget (
                bucket text PRIMARY KEY,
                tokens double precision NOT NULL,
                refreshed_at timestamptz NOT NULL);
            """, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
