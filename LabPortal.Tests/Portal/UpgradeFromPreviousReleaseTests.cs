using System.Net;
using LabPortal.Features.Cleanup;
using LabPortal.Infrastructure.Data;
using LabPortal.Tests.Support;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LabPortal.Tests.Portal;

/// <summary>
/// The portal started on a copy of a database written by the previous release (Fixtures/Upgrade): migrations
/// applied, every row kept, users signing in with the passwords they had.
/// </summary>
public sealed class UpgradeFromPreviousReleaseTests : IDisposable
{
    private const string HistoryTable = "__EFMigrationsHistory";

    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    private string Database => Path.Combine(_data.Path, PreviousReleaseDatabase.DatabaseFile);

    [Fact]
    public async Task Upgrade_keeps_every_row_of_every_table()
    {
        var file = PreviousReleaseDatabase.CheckedInFile;
        var tables = await SqliteFile.TablesAsync(file);
        var before = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            before[table] = await SqliteFile.RowsAsync(file, table);
        }

        Assert.Empty(before.Where(t => t.Value.Count == 0 && t.Key != PreviousReleaseDatabase.MigrationLockTable).Select(t => t.Key));

        await using var factory = UpgradedPortal();
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());

            // The entities read back through the model as it is now, not only as rows.
            var runs = await db.LabRuns.Include(r => r.Steps).Include(r => r.Ledger).Include(r => r.CloudAccount).ToListAsync();
            Assert.Equal(before["LabRuns"].Count, runs.Count);
            Assert.Equal(before["StepRuns"].Count, runs.Sum(r => r.Steps.Count));
            Assert.Equal(before["Ledger"].Count, runs.Sum(r => r.Ledger.Count));
            Assert.Equal(before["ClassGuardrails"].Count, await db.ClassGuardrails.CountAsync(g => g.BudgetUsd != null));

            // The cloud secret the previous release protected still opens with the key ring of the data folder.
            var protector = factory.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(PreviousReleaseDatabase.CloudSecretPurpose);
            var secrets = runs.Select(r => r.CloudAccount?.ProtectedSecretAccessKey).OfType<string>().Distinct().ToList();
            Assert.Equal([PreviousReleaseDatabase.MinaSecretAccessKey], secrets.Select(secret => protector.Unprotect(secret)).ToList());
        }

        foreach (var table in tables.Where(t => t != HistoryTable))
        {
            Assert.Equal(before[table], await SqliteFile.RowsAsync(Database, table));
        }

        // The history the previous release wrote stays; an upgrade only adds to it.
        var history = await SqliteFile.RowsAsync(Database, HistoryTable);
        Assert.Subset(history.ToHashSet(), before[HistoryTable].ToHashSet());
    }

    [Fact]
    public async Task Users_sign_in_with_their_old_passwords_and_find_their_class()
    {
        await using var factory = UpgradedPortal();
        Classroom classroom;
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            classroom = await db.Classrooms.Include(c => c.Memberships).ThenInclude(m => m.User).SingleAsync();
        }

        foreach (var account in PreviousReleaseDatabase.Accounts)
        {
            using var client = factory.CreatePortalClient();
            var response = await client.SignInAsync(account.UserName, account.Password);
            Assert.Equal((account.UserName, HttpStatusCode.Redirect), (account.UserName, response.StatusCode));
            Assert.DoesNotContain("/account/", response.Headers.Location!.OriginalString, StringComparison.Ordinal);

            if (account.Role == UserRole.Instructor)
            {
                var (classes, list) = await client.GetAsync("/classes");
                Assert.Equal(HttpStatusCode.OK, classes.StatusCode);
                Assert.Contains(classroom.Name, list.Body!.TextContent, StringComparison.Ordinal);

                var (detail, page) = await client.GetAsync($"/classes/{classroom.Id}");
                Assert.Equal(HttpStatusCode.OK, detail.StatusCode);
                foreach (var student in classroom.Memberships.Where(m => m.Role == UserRole.Student))
                {
                    Assert.Contains(student.User.DisplayName, page.Body!.TextContent, StringComparison.Ordinal);
                }
            }
            else
            {
                var (labs, _) = await client.GetAsync("/labs");
                Assert.Equal(HttpStatusCode.OK, labs.StatusCode);
            }
        }

        // The old hashes are checked, not waved through: a wrong password is still refused.
        using var stranger = factory.CreatePortalClient();
        var refused = await stranger.SignInAsync(PreviousReleaseDatabase.Accounts[0].UserName, "not-" + PreviousReleaseDatabase.Accounts[0].Password);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }

    [Fact]
    public async Task Fresh_database_gets_the_schema_an_upgraded_one_has()
    {
        await using (var upgraded = UpgradedPortal())
        {
            _ = upgraded.Services;
        }

        using var fresh = new TempDirectory();
        await using (var factory = new PortalFactory(fresh.Path))
        {
            _ = factory.Services;
        }

        var expected = await SqliteFile.SchemaAsync(Database);
        Assert.Contains(expected, line => line.StartsWith("table Users column: PasswordHash", StringComparison.Ordinal));
        Assert.Equal(expected, await SqliteFile.SchemaAsync(Path.Combine(fresh.Path, "labportal.db")));
    }

    private PortalFactory UpgradedPortal()
    {
        CopyFolder(PreviousReleaseDatabase.CheckedInFolder, _data.Path);
        return new PortalFactory(_data.Path, new Dictionary<string, string?> { ["Labs:Directory"] = E2E.Lab1Flow.ShippedLabs }, WithoutAutoCleanup);
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>
    /// Auto-cleanup would rightly start warning and tearing down the file's long-idle runs (their dates are in
    /// the past) while the test compares them, so its recurring schedule is left out.
    /// </summary>
    private static void WithoutAutoCleanup(IServiceCollection services) =>
        services.Remove(services.Single(s => s.ServiceType == typeof(IHostedService) && s.ImplementationType == typeof(CleanupSchedule)));
}
