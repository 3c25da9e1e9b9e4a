using System.Reflection;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace LabPortal.Infrastructure.Data;

/// <summary>
/// Applies pending migrations when the host starts. A database the hand-written migrations built first adopts
/// the generated baseline (docs/decisions/migrations-generated-by-dotnet-ef.md). Then a Data Protection key ring
/// the portal kept in files (<c>keys/</c> in the data folder, before the keys moved into the database) is
/// imported once, before anything reads the ring: the cloud secrets and cookies it protected stay readable.
/// </summary>
public sealed partial class DatabaseMigrator(IServiceScopeFactory scopeFactory, DataDirectory dataDirectory, ILogger<DatabaseMigrator> logger) : IHostedService
{
    /// <summary>Where the key ring was kept before it moved into the database, under the data folder.</summary>
    public const string KeyFolder = "keys";

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

        // A fresh database has no history table yet. EF would ask it for the applied migrations first and log each
        // failed query as an error (three on PostgreSQL); an empty table is what the first migration would create anyway.
        await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
        await AdoptBaselineAsync(db, cancellationToken);

        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            LogApplying(pending.Count, string.Join(", ", pending));
            await db.Database.MigrateAsync(cancellationToken);
        }

        await ImportKeyFilesAsync(db, cancellationToken);
    }

    /// <summary>
    /// The first start with keys in the database copies every key file of <c>keys/</c> into it, as the file
    /// repository named them. Never again once the table holds a key (the files are left where they were).
    /// </summary>
    private async Task ImportKeyFilesAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        var folder = new DirectoryInfo(Path.Combine(dataDirectory.Path, KeyFolder));
        if (!folder.Exists || await db.DataProtectionKeys.AnyAsync(cancellationToken))
        {
            return;
        }

        var files = folder.GetFiles("*.xml").OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
        foreach (var file in files)
        {
            var element = XElement.Load(file.FullName);
            db.DataProtectionKeys.Add(new DataProtectionKey
            {
                FriendlyName = Path.GetFileNameWithoutExtension(file.Name),
                Xml = element.ToString(SaveOptions.DisableFormatting),
            });
        }

        if (files.Count > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
            LogImportedKeys(files.Count, folder.FullName);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Imported {Count} Data Protection key file(s) from {Folder} into the database; the portal reads its keys from the database from now on.")]
    private partial void LogImportedKeys(int count, string folder);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying {Count} database migration(s): {Migrations}")]
    private partial void LogApplying(int count, string migrations);

    [LoggerMessage(Level = LogLevel.Information, Message = "The database's schema is that of the hand-written migration {Last}: recorded as the generated baseline {Baseline}.")]
    private partial void LogAdopted(string last, string baseline);
}
