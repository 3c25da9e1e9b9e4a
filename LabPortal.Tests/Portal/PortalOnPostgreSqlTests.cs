using Hangfire;
using Hangfire.PostgreSql;
using LabPortal.Infrastructure.Data;
using LabPortal.Infrastructure.Jobs;
using LabPortal.Tests.E2E;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.Portal;

/// <summary>
/// <c>ConnectionStrings:Portal</c> naming a PostgreSQL server: the portal's data and its jobs both go there, on the
/// PostgreSQL migration history (docs/decisions/postgresql-migrations-beside-sqlite.md). Always on PostgreSQL,
/// whatever <c>LABPORTAL_TEST_DATABASE</c> says; the SQLite side is <see cref="DatabaseModelTests"/>.
/// </summary>
[Trait("Category", "PostgreSQL")]
public sealed class PortalOnPostgreSqlTests
{
    [Fact]
    public async Task First_start_on_an_empty_PostgreSQL_database_logs_no_error()
    {
        // Before the migrator ran first, a fresh PostgreSQL database logged six errors: Data Protection read its keys' table before
        // it existed, and the history of applied migrations was asked for before it existed.
        var errors = await FreshStart.ErrorsAsync(TestDatabaseProvider.PostgreSql);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task Migrations_build_an_empty_PostgreSQL_database_that_the_model_matches()
    {
        using var data = new TempDirectory();
        await using var factory = new PortalFactory(data.Path, database: TestDatabaseProvider.PostgreSql);
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();

        Assert.IsType<PostgreSqlPortalDbContext>(db);
        Assert.True(db.Database.IsNpgsql(), db.Database.ProviderName);
        Assert.False(db.Database.HasPendingModelChanges(), "The model differs from the PostgreSQL migrations' snapshot: run `dotnet ef migrations add <Name> --project LabPortal --context PostgreSqlPortalDbContext --output-dir Migrations/PostgreSql` (README, Database migrations).");
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        var all = db.Database.GetMigrations().ToList();
        Assert.NotEmpty(all);
        Assert.Equal(all, await db.Database.GetAppliedMigrationsAsync());
        // Its own history: none of the SQLite migrations (the hand-written chain, the baseline) is among them.
        Assert.DoesNotContain(DatabaseMigrator.BaselineMigration, all);
        Assert.Empty(all.Intersect(DatabaseMigrator.HandWrittenMigrations));
        Assert.False(File.Exists(Path.Combine(data.Path, "labportal.db")), "An SQLite file was made although the portal is on PostgreSQL.");

        // Every role the model seeds is there, and a time stored without a kind comes back as the UTC it was meant to be.
        Assert.Equal(Roles.Seeded.Select(r => r.Name).Order(StringComparer.Ordinal), (await db.Roles.Select(r => r.Name).ToListAsync()).Order(StringComparer.Ordinal));
        var unspecified = new DateTime(2026, 12, 7, 9, 30, 0, DateTimeKind.Unspecified);
        db.Audit.Add(new AuditEntry { AtUtc = unspecified, Action = "probe", Outcome = "ok" });
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        var stored = await db.Audit.Where(a => a.Action == "probe").Select(a => a.AtUtc).SingleAsync();
        Assert.Equal(DateTimeKind.Utc, stored.Kind);
        Assert.Equal(unspecified.Ticks, stored.Ticks);
    }

    [Fact]
    public async Task Portal_on_PostgreSQL_keeps_data_and_jobs_there_and_a_student_signs_up_joins_a_class_and_runs_a_step()
    {
        using var data = new TempDirectory();
        await using var factory = new PortalFactory(data.Path, PortalFactory.OnSandbox(), database: TestDatabaseProvider.PostgreSql);

        var storage = factory.Services.GetRequiredService<JobStorage>();
        Assert.IsType<PostgreSqlStorage>(storage);
        Assert.Equal(JobStorageKind.PostgreSql, factory.Services.GetRequiredService<JobStorageInfo>().Kind);

        var flow = await Lab1Flow.StartAsync(factory, "pg-student");
        await flow.PassQuizAsync("concepts");
        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("security-group"));

        Assert.False(File.Exists(Path.Combine(data.Path, "labportal.db")), "The portal wrote an SQLite database although it is on PostgreSQL.");
        Assert.False(File.Exists(Path.Combine(data.Path, "hangfire.db")), "The jobs went to SQLite although the portal is on PostgreSQL.");
        Assert.True(storage.GetMonitoringApi().SucceededListCount() >= 1, "No job succeeded in the PostgreSQL job storage.");

        // Read back from PostgreSQL itself, outside the portal: the account, its class, the step and the ledger.
        await using var db = TestDatabase.Open(data.Path);
        Assert.True(db.Database.IsNpgsql());
        var student = await db.Users.SingleAsync(u => u.NormalizedUserName == User.Normalize("pg-student"));
        Assert.True(await db.ClassMemberships.AnyAsync(m => m.UserId == student.Id));
        var run = await db.LabRuns.Include(r => r.Steps).Include(r => r.Ledger).SingleAsync(r => r.Id == flow.RunId);
        Assert.Equal(student.Id, run.UserId);
        Assert.Contains(run.Steps, s => s.StepId == "security-group" && s.Status == StepRunStatus.Succeeded && s.FinishedAtUtc is { Kind: DateTimeKind.Utc });
        Assert.Contains(run.Ledger, e => e.State == LedgerState.Created && e.ResourceId is { Length: > 0 });
    }
}
