using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace LabPortal.Infrastructure.Data;

/// <summary>
/// Applies pending migrations when the host starts. A database the hand-written migrations built first adopts
/// the generated baseline (docs/decisions/migrations-generated-by-dotnet-ef.md).
/// </summary>
public sealed partial class DatabaseMigrator(IServiceScopeFactory scopeFactory, ILogger<DatabaseMigrator> logger) : IHostedService
{
    /// <summary>The hand-written migrations the portal had before the generated baseline, oldest first.</summary>
    public static readonly IReadOnlyList<string> HandWrittenMigrations =
    [
        "20261122000001_Accounts",
        "20261122000002_QuartzJobStore",
        "20261122000003_LabRuns",
        "20261122000004_InstructorsAndCleanup",
        "20261207000001_HangfireJobs",
        "20261207000002_GuardrailsAndAccountPool",
    ];

    /// <summary>The id of the generated migration that builds the schema the last hand-written one left.</summary>
    public static string BaselineMigration { get; } = typeof(LabPortal.Migrations.Baseline).GetCustomAttribute<MigrationAttribute>()!.Id;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        if (db.Database.IsSqlite())
        {
            // WAL lets the job store and page requests read while a job writes.
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            await db.Database.CloseConnectionAsync();
        }

        await AdoptBaselineAsync(db, cancellationToken);

        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            LogApplying(pending.Count, string.Join(", ", pending));
            await db.Database.MigrateAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// A database whose history ends with the last hand-written migration has the baseline's schema: it gets the
    /// baseline's history row, so EF runs only what came after. One stopped part-way through the hand-written
    /// chain is refused: the previous release still has the steps it lacks.
    /// </summary>
    private async Task AdoptBaselineAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        var applied = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        if (!applied.Overlaps(HandWrittenMigrations) || applied.Contains(BaselineMigration))
        {
            return;
        }

        var last = HandWrittenMigrations[^1];
        if (!applied.Contains(last))
        {
            var missing = string.Join(", ", HandWrittenMigrations.Where(id => !applied.Contains(id)));
            throw new InvalidOperationException(
                $"This database was last upgraded by a portal release older than the one before migrations were generated: it lacks {missing}. " +
                $"Start the portal release of commit 357d8f2 on it once (it applies them), then this version.");
        }

        var history = db.GetService<IHistoryRepository>();
        await db.Database.ExecuteSqlRawAsync(history.GetInsertScript(new HistoryRow(BaselineMigration, ProductInfo.GetVersion())), cancellationToken);
        LogAdopted(last, BaselineMigration);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying {Count} database migration(s): {Migrations}")]
    private partial void LogApplying(int count, string migrations);

    [LoggerMessage(Level = LogLevel.Information, Message = "The database's schema is that of the hand-written migration {Last}: recorded as the generated baseline {Baseline}.")]
    private partial void LogAdopted(string last, string baseline);
}
