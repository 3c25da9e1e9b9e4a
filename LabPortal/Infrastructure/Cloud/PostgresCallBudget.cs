using System.Collections.Concurrent;
using LabPortal.Aws.Core;
using LabPortal.Infrastructure.Live;
using Npgsql;

namespace LabPortal.Infrastructure.Cloud;

/// <summary>
/// AWS's per-account token buckets (<see cref="AwsRateLimiter.BucketFor"/>: ELB's Describe bucket 40,
/// refill 10/s) kept in PostgreSQL so that every node draws on the same one: one row per account,
/// region, service and bucket, locked, refilled and taken from in one implicit transaction, on the
/// database's clock (the nodes' clocks play no part). A caller that finds less than one token waits
/// for the refill on its own side, holding no connection, and tries again.
/// </summary>
/// <remarks>
/// When the database cannot be asked (it is down, the pool is exhausted), a call is not failed: it and
/// the calls of the next <see cref="FallbackPeriod"/> take from this node's in-process bucket
/// (<paramref name="fallback"/>), as a single node does, with one warning per period
/// (docs/decisions/live-changes-across-nodes.md).
/// </remarks>
public sealed class PostgresCallBudget(NodeDatabase database, AwsRateLimiter fallback, TimeProvider time, ILogger<PostgresCallBudget> logger) : IAwsCallBudget
{
    /// <summary>How long a node keeps to its own bucket after the shared one could not be reached.</summary>
    public static readonly TimeSpan FallbackPeriod = TimeSpan.FromSeconds(10);

    // Two statements in one batch, which PostgreSQL runs as one implicit transaction: the first takes the row's
    // lock, the second (a new statement, so a snapshot and a clock reading taken once the lock is held) refills
    // from the committed row and takes a token if there is a whole one. clock_timestamp() is read once (n.now).
    private const string Lock = "SELECT 1 FROM labportal_call_budget WHERE bucket = $1 FOR UPDATE";

    private const string Take =
        """
        UPDATE labportal_call_budget b
        SET tokens = CASE WHEN c.available >= 1 THEN c.available - 1 ELSE c.available END, refreshed_at = c.now
        FROM (SELECT r.bucket, n.now,
                     LEAST($2, r.tokens + EXTRACT(EPOCH FROM n.now - r.refreshed_at)::double precision * $3) AS available
              FROM labportal_call_budget r, (SELECT clock_timestamp() AS now) n
              WHERE r.bucket = $1) c
        WHERE b.bucket = c.bucket
        RETURNING c.available >= 1, c.available, c.now
        """;

    private readonly ConcurrentDictionary<string, byte> _known = new(StringComparer.Ordinal);
    private long _fallbackUntil = long.MinValue;

    public async ValueTask AcquireAsync(string account, string region, string service, string action, CancellationToken cancellationToken = default)
    {
        if (time.GetUtcNow().UtcTicks < Interlocked.Read(ref _fallbackUntil))
        {
            await fallback.AcquireAsync(account, region, service, action, cancellationToken);
            return;
        }

        try
        {
            await TakeAsync(account, region, service, action, cancellationToken);
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            // A student's step must not fail because the budget's database did not answer: this node spends from its own bucket meanwhile.
            var until = time.GetUtcNow() + FallbackPeriod;
            if (Interlocked.Exchange(ref _fallbackUntil, until.UtcTicks) < time.GetUtcNow().UtcTicks)
            {
                logger.LogWarning(exception, "The shared AWS call budget could not be reached; until {Until:O} this node takes {Service} calls of account {Account} and all others from its own buckets.", until, service, account);
            }

            await fallback.AcquireAsync(account, region, service, action, cancellationToken);
        }
    }

    /// <summary>As <see cref="AcquireAsync"/> without the fallback, returning when (on the database's clock) the token was taken: the tests count these.</summary>
    public async Task<DateTime> TakeAsync(string account, string region, string service, string action, CancellationToken cancellationToken = default)
    {
        var (category, limit) = AwsRateLimiter.BucketFor(service, action);
        var bucket = $"{account}|{region}|{service}|{category}";
        while (true)
        {
            if (!_known.ContainsKey(bucket))
            {
                await CreateAsync(bucket, limit.Capacity, cancellationToken);
                _known[bucket] = 0;
            }

            var attempt = await TryTakeAsync(bucket, limit, cancellationToken);
            if (attempt is not { } result)
            {
                // The row is gone (someone dropped the table or the row): make it again.
                _known.TryRemove(bucket, out _);
                continue;
            }

            if (result.Taken)
            {
                return result.At;
            }

            // The connection is back in the pool by now: the wait holds nothing.
            await Task.Delay(TimeSpan.FromSeconds((1 - result.Available) / limit.RefillPerSecond), time, cancellationToken);
        }
    }

    /// <summary>
    /// One locked refill-and-take; its reader is read and disposed here, once, before any wait (a reader disposed a second
    /// time after its connection went back to the pool stalled the connection's next user: docs/decisions/live-changes-across-nodes.md).
    /// </summary>
    private async Task<(bool Taken, double Available, DateTime At)?> TryTakeAsync(string bucket, TokenBucketLimit limit, CancellationToken cancellationToken)
    {
        await using var batch = database.DataSource.CreateBatch();
        var lockRow = new NpgsqlBatchCommand(Lock);
        lockRow.Parameters.Add(new NpgsqlParameter<string> { TypedValue = bucket });
        var take = new NpgsqlBatchCommand(Take);
        take.Parameters.Add(new NpgsqlParameter<string> { TypedValue = bucket });
        take.Parameters.Add(new NpgsqlParameter<double> { TypedValue = limit.Capacity });
        take.Parameters.Add(new NpgsqlParameter<double> { TypedValue = limit.RefillPerSecond });
        batch.BatchCommands.Add(lockRow);
        batch.BatchCommands.Add(take);

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        if (!await reader.NextResultAsync(cancellationToken) || !await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return (reader.GetBoolean(0), reader.GetDouble(1), reader.GetFieldValue<DateTime>(2));
    }

    /// <summary>The bucket's row, full, unless a node made it already.</summary>
    private async Task CreateAsync(string bucket, double capacity, CancellationToken cancellationToken)
    {
        await database.EnsureSchemaAsync();
        await using var create = database.DataSource.CreateCommand(
            "INSERT INTO labportal_call_budget (bucket, tokens, refreshed_at) VALUES ($1, $2, clock_timestamp()) ON CONFLICT (bucket) DO NOTHING");
        create.Parameters.Add(new NpgsqlParameter<string> { TypedValue = bucket });
        create.Parameters.Add(new NpgsqlParameter<double> { TypedValue = capacity });
        await create.ExecuteNonQueryAsync(cancellationToken);
    }
}
