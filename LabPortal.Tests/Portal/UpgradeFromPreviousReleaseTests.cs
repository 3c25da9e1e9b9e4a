using System.Globalization;
using System.Net;
using LabPortal.Features.Cleanup;
using LabPortal.Infrastructure.Data;
using LabPortal.Tests.Support;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
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

        foreach (var table in tables.Where(t => t != HistoryTable && t != "Users"))
        {
            // Every column that release had keeps its values; a column added since reads NULL in every row it wrote.
            var columns = await SqliteFile.ColumnsAsync(file, table);
            Assert.Equal(before[table], await SqliteFile.RowsAsync(Database, table, columns));
            foreach (var added in (await SqliteFile.ColumnsAsync(Database, table)).Except(columns, StringComparer.Ordinal))
            {
                Assert.All(await SqliteFile.RowsAsync(Database, table, [added]), row => Assert.Equal($"{added}=NULL", row));
            }
        }

        // Users keep every value, under Identity's column names where it has its own; lockout is on for everyone.
        var expectedUsers = before["Users"].Select(Cells).Select(UpgradedUser).ToList();
        var users = (await SqliteFile.RowsAsync(Database, "Users")).Select(Cells).ToList();
        Assert.Equal(expectedUsers.Count, users.Count);
        for (var i = 0; i < users.Count; i++)
        {
            Assert.Equal(expectedUsers[i], expectedUsers[i].Keys.ToDictionary(column => column, column => users[i][column]));
        }

        // Roles from the old Role column; the first instructor also administers the portal.
        var oldUsers = before["Users"].Select(Cells).ToList();
        var firstInstructor = oldUsers.Where(u => u["Role"] == "1").Select(u => int.Parse(u["Id"], CultureInfo.InvariantCulture)).Min();
        var expectedRoles = oldUsers
            .Select(u => $"RoleId={(u["Role"] == "1" ? Roles.InstructorId : Roles.StudentId)} | UserId={u["Id"]}")
            .Append($"RoleId={Roles.AdministratorId} | UserId={firstInstructor}")
            .Order(StringComparer.Ordinal);
        Assert.Equal(expectedRoles, (await SqliteFile.RowsAsync(Database, "AspNetUserRoles")).Order(StringComparer.Ordinal));

        // The key ring of the folder's files now lives in the database.
        var keyFiles = Directory.GetFiles(Path.Combine(PreviousReleaseDatabase.CheckedInFolder, "keys"), "*.xml").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal);
        Assert.Equal(keyFiles, (await SqliteFile.RowsAsync(Database, "DataProtectionKeys")).Select(Cells).Select(k => k["FriendlyName"]).Order(StringComparer.Ordinal));

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
    public async Task A_lockout_of_the_previous_release_still_holds_and_an_expired_one_does_not()
    {
        CopyFolder(PreviousReleaseDatabase.CheckedInFolder, _data.Path);
        var lockedUntil = DateTime.UtcNow.AddMinutes(10);
        var joon = PreviousReleaseDatabase.Accounts.Single(a => a.UserName == "joon");
        var mina = PreviousReleaseDatabase.Accounts.Single(a => a.UserName == "mina");
        await using (var connection = new SqliteConnection($"Data Source={Database};Pooling=False"))
        {
            // As the previous release wrote a DateTime: no offset.
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE Users SET LockedOutUntilUtc = CASE UserName WHEN $joon THEN $future ELSE $past END WHERE UserName IN ($joon, $mina)";
            command.Parameters.AddWithValue("$joon", joon.UserName);
            command.Parameters.AddWithValue("$mina", mina.UserName);
            command.Parameters.AddWithValue("$future", lockedUntil.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture));
            command.Parameters.AddWithValue("$past", DateTime.UtcNow.AddMinutes(-10).ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture));
            Assert.Equal(2, await command.ExecuteNonQueryAsync());
        }

        await using var factory = new PortalFactory(_data.Path, new Dictionary<string, string?> { ["Labs:Directory"] = E2E.Lab1Flow.ShippedLabs }, WithoutAutoCleanup, TestDatabaseProvider.Sqlite);
        using (var scope = factory.Services.CreateScope())
        {
            var lockoutEnd = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Users.Where(u => u.UserName == joon.UserName).Select(u => u.LockoutEnd).SingleAsync();
            Assert.Equal(new DateTimeOffset(lockedUntil, TimeSpan.Zero), lockoutEnd);
        }

        Assert.Contains((await SqliteFile.RowsAsync(Database, "Users")).Single(r => r.Contains("UserName=joon", StringComparison.Ordinal)).Split(" | "), cell => cell.StartsWith("LockoutEnd=", StringComparison.Ordinal) && cell.EndsWith("+00:00", StringComparison.Ordinal));

        using var joonClient = factory.CreatePortalClient();
        Assert.Equal(HttpStatusCode.TooManyRequests, (await joonClient.SignInAsync(joon.UserName, joon.Password)).StatusCode);
        using var minaClient = factory.CreatePortalClient();
        Assert.Equal(HttpStatusCode.Redirect, (await minaClient.SignInAsync(mina.UserName, mina.Password)).StatusCode);
    }

    [Fact]
    public async Task Fresh_database_gets_the_schema_an_upgraded_one_has()
    {
        await using (var upgraded = UpgradedPortal())
        {
            _ = upgraded.Services;
        }

        using var fresh = new TempDirectory();
        await using (var factory = new PortalFactory(fresh.Path, database: TestDatabaseProvider.Sqlite))
        {
            _ = factory.Services;
        }

        var expected = await SqliteFile.SchemaAsync(Database);
        Assert.Contains(expected, line => line.StartsWith("table Users column: PasswordHash", StringComparison.Ordinal));
        Assert.Equal(expected, await SqliteFile.SchemaAsync(Path.Combine(fresh.Path, "labportal.db")));
    }

    /// <summary>A row of <see cref="SqliteFile.RowsAsync"/> as column → value.</summary>
    private static Dictionary<string, string> Cells(string row) =>
        row.Split(" | ").Select(cell => cell.Split('=', 2)).ToDictionary(cell => cell[0], cell => cell[1], StringComparer.Ordinal);

    /// <summary>What a user row of the previous release becomes: Identity's names for the failure count and the lockout end (now with its offset), lockout on, the role moved to AspNetUserRoles.</summary>
    private static Dictionary<string, string> UpgradedUser(Dictionary<string, string> old)
    {
        var upgraded = old.Where(c => c.Key is not ("Role" or "FailedSignInCount" or "LockedOutUntilUtc")).ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
        upgraded["AccessFailedCount"] = old["FailedSignInCount"];
        upgraded["LockoutEnd"] = old["LockedOutUntilUtc"] == "NULL" ? "NULL" : old["LockedOutUntilUtc"] + "+00:00";
        upgraded["LockoutEnabled"] = "1";
        return upgraded;
    }

    private PortalFactory UpgradedPortal()
    {
        CopyFolder(PreviousReleaseDatabase.CheckedInFolder, _data.Path);
        return new PortalFactory(_data.Path, new Dictionary<string, string?> { ["Labs:Directory"] = E2E.Lab1Flow.ShippedLabs }, WithoutAutoCleanup, TestDatabaseProvider.Sqlite);
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
