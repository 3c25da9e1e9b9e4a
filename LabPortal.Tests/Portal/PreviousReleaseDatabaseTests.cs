using LabPortal.Tests.Support;
using Microsoft.AspNetCore.DataProtection;

namespace LabPortal.Tests.Portal;

/// <summary>The generator of the upgrade tests' data folder (Fixtures/Upgrade/README.md tells how to regenerate it).</summary>
public sealed class PreviousReleaseDatabaseTests
{
    [Fact]
    public async Task Generator_writes_rows_into_every_table_the_migrations_create()
    {
        using var temp = new TempDirectory();
        var directory = Environment.GetEnvironmentVariable(PreviousReleaseDatabase.OutputVariable) is { Length: > 0 } target
            ? Path.GetFullPath(target)
            : temp.Path;

        await PreviousReleaseDatabase.WriteAsync(directory);

        var path = Path.Combine(directory, PreviousReleaseDatabase.DatabaseFile);
        var tables = await SqliteFile.TablesAsync(path);
        Assert.Contains("Users", tables);
        Assert.Contains("__EFMigrationsHistory", tables);
        var empty = new List<string>();
        foreach (var table in tables.Where(t => t != PreviousReleaseDatabase.MigrationLockTable && !PreviousReleaseDatabase.UnusedIdentityTables.Contains(t)))
        {
            if ((await SqliteFile.RowsAsync(path, table)).Count == 0)
            {
                empty.Add(table);
            }
        }

        Assert.Empty(empty);
        Assert.False(File.Exists(path + "-wal"), "The database must stand alone, with nothing left in a write-ahead log.");

        // The protected secret opens with the key ring written beside it.
        var keys = new DirectoryInfo(Path.Combine(directory, "keys"));
        Assert.Single(keys.GetFiles("key-*.xml"));
        var secret = (await SqliteFile.RowsAsync(path, "CloudAccounts")).Single(row => row.Contains("MINA", StringComparison.Ordinal));
        var protectedSecret = secret.Split(" | ").Single(cell => cell.StartsWith("ProtectedSecretAccessKey=", StringComparison.Ordinal))["ProtectedSecretAccessKey=".Length..];
        var protector = DataProtectionProvider.Create(keys, b => b.SetApplicationName(PreviousReleaseDatabase.ApplicationName)).CreateProtector(PreviousReleaseDatabase.CloudSecretPurpose);
        Assert.Equal(PreviousReleaseDatabase.MinaSecretAccessKey, protector.Unprotect(protectedSecret));
    }
}
