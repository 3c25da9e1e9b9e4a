using System.Collections.Concurrent;
using LabPortal.Aws.Core;
using LabPortal.Infrastructure.Live;

namespace LabPortal.Infrastructure.Cloud;

/// <summary>
/// AWS's per-account token buckets (<see cref="AwsRateLimiter.BucketFor"/>: ELB's Describe bucket 40,
/// refill 10/s) kept in PostgreSQL so that every node draws on the same one: one row per account,
/// region, service and bucket, refilled and taken from in one atomic UPDATE under the row's lock, on the
/// database's clock (the nodes' clocks play no part).
/// </summary>
public sealed class PostgresCallBudget(NodeDatabase database) : IAwsCallBudget
{
    // The refill is computed from the row under its lock; tokens below 1 mean wait (1 - tokens) / refill.
    private const string Take =
        """
        WITH current AS (
            SELECT bucket, LEAST(@capacity, tokens + EXTRACT(EPOCH FROM clock_timestamp() - refreshed_at) * @refill) AS available,
                   clock_timestamp() AS now
            FROM labportal_call_budget WHERE bucket = @bucket FOR UPDATE)
        UPDATE labportal_call_budget b
        SET tokens = CASE WHEN c.available >= 1 THEN c.available - 1 ELSE c.available END, refreshed_at = c.now
        FROM current c WHERE b.bucket = c.bucket
        RETURNING c.available >= 1, c.available, c.now
        """;

    private readonly ConcurrentDictionary<string, byte> _known = new(StringComparer.Ordinal);

    public async ValueTask AcquireAsync(string account, string region, string service, string action, CancellationToken cancellationToken = default) =>
        await TakeAsync(account, region, service, action, cancellationToken);

    /// <summary>As <see cref="AcquireAsync"/>, returning when (on the database's clock) the token was taken: the tests count these.</summary>
    public async Task<DateTime> TakeAsync(string account, string region, string service, string action, CancellationToken cancellationToken = default)
    {
        var (category, limit) = AwsRateLimiter.BucketFor(service, action);
        var bucket = $"{account}|{region}|{service}|{category}";
        if (!_known.ContainsKey(bucket))
        {
            await CreateAsync(bucket, limit.Capacity, cancellationToken);
            _known[bucket] = 0;
        }

        while (true)
        {
            await using var command = database.DataSource.CreateCommand(Take);
            command.Parameters.AddWithValue("bucket", bucket);
            command.Parameters.AddWithValue("capacity", limit.Capacity);
            command.Parameters.AddWithValue("refill", limit.RefillPerSecond);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                throw new InvalidOperationException($"The call budget row {bucket} is missing.");
            }

            if (reader.GetBoolean(0))
            {
                return reader.GetDateTime(2);
            }

            var wait = TimeSpan.FromSeconds((1 - reader.GetDouble(1)) / limit.RefillPerSecond);
            await reader.DisposeAsync();
            await Task.Delay(wait, cancellationToken);
        }
    }

    /// <summary>The bucket's row, full, unless a node made it already.</summary>
    private async Task CreateAsync(string bucket, double capacity, CancellationToken cancellationToken)
    {
        await database.EnsureSchemaAsync();
        await using var create = database.DataSource.CreateCommand(
            "INSERT INTO labportal_call_budget (bucket, tokens, refreshed_at) VALUES (@bucket, @capacity, clock_timestamp()) ON CONFLICT (bucket) DO NOTHING");
        create.Parameters.AddWithValue("bucket", bucket);
        create.Parameters.AddWithValue("capacity", capacity);
        await create.ExecuteNonQueryAsync(cancellationToken);
    }
}
