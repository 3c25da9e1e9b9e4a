using LabPortal.Infrastructure.Data;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.Portal;

public sealed class DatabaseModelTests
{
    [Fact]
    public async Task Database_has_no_pending_model_changes()
    {
        using var data = new TempDirectory();
        using var factory = new PortalFactory(data.Path);
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();

        Assert.False(db.Database.HasPendingModelChanges(), "The hand-written model snapshot differs from the DbContext: add a migration and update Migrations/PortalDbContextModelSnapshot.cs.");
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task Migration_drops_the_old_job_store_tables_from_an_existing_database()
    {
        using var data = new TempDirectory();
        await using (var first = new PortalFactory(data.Path))
        {
            _ = first.Services;
        }

        // A database from before Hangfire: the old job store's tables, and the dropping migration not yet applied.
        var dropMigration = typeof(LabPortal.Migrations.HangfireJobs).GetCustomAttributes(typeof(Microsoft.EntityFrameworkCore.Migrations.MigrationAttribute), false)
            .Cast<Microsoft.EntityFrameworkCore.Migrations.MigrationAttribute>().Single().Id;
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(data.Path, "labportal.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE QRTZ_JOB_DETAILS (SCHED_NAME TEXT NOT NULL, JOB_NAME TEXT NOT NULL);
                CREATE TABLE QRTZ_TRIGGERS (SCHED_NAME TEXT NOT NULL, TRIGGER_NAME TEXT NOT NULL);
                CREATE TABLE QRTZ_LOCKS (SCHED_NAME TEXT NOT NULL, LOCK_NAME TEXT NOT NULL);
                ALTER TABLE StepRuns DROP COLUMN LeaseUntilUtc;
                ALTER TABLE StepRuns DROP COLUMN WaitingUntilUtc;
                ALTER TABLE LabRuns DROP COLUMN TeardownLeaseUntilUtc;
                DELETE FROM __EFMigrationsHistory WHERE MigrationId = $id;
                """;
            command.Parameters.AddWithValue("$id", dropMigration);
            await command.ExecuteNonQueryAsync();
        }

        await using var second = new PortalFactory(data.Path);
        using var scope = second.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var tables = await db.Database.SqlQueryRaw<string>("SELECT name AS Value FROM sqlite_master WHERE type = 'table' AND name LIKE 'QRTZ_%'").ToListAsync();
        Assert.Empty(tables);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(0, await db.StepRuns.CountAsync(s => s.LeaseUntilUtc != null));
    }
}
