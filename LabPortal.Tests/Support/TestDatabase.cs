using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using LabPortal.Infrastructure;
using LabPortal.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace LabPortal.Tests.Support;

/// <summary>
/// The fixture switch: which database a portal fixture's data folder goes with. SQLite (the file in the folder)
/// unless <c>LABPORTAL_TEST_DATABASE=PostgreSql</c> says so for the whole run, or a test asks for PostgreSQL
/// itself. On PostgreSQL each data folder gets a database of its own in the process's shared cluster, named after
/// the folder, so that two portals given the same folder share it as they would share the file (a restart).
/// </summary>
public static class TestDatabase
{
    public const string EnvironmentVariable = "LABPORTAL_TEST_DATABASE";

    private static readonly ConcurrentDictionary<string, TestDatabaseProvider> Chosen = new(StringComparer.Ordinal);

    private static readonly ConcurrentDictionary<string, Lazy<string>> PostgreSqlDatabases = new(StringComparer.Ordinal);

    /// <summary>What <c>LABPORTAL_TEST_DATABASE</c> selects: SQLite when unset; an unknown value is an error, not a silent SQLite run.</summary>
    public static TestDatabaseProvider Default { get; } = Environment.GetEnvironmentVariable(EnvironmentVariable) switch
    {
        null or "" => TestDatabaseProvider.Sqlite,
        var value when Enum.TryParse<TestDatabaseProvider>(value, ignoreCase: true, out var provider) => provider,
        var value => throw new InvalidOperationException($"{EnvironmentVariable}={value}: use {TestDatabaseProvider.Sqlite} or {TestDatabaseProvider.PostgreSql}."),
    };

    /// <summary>
    /// Puts every portal on <paramref name="dataDirectory"/> on <paramref name="provider"/>, whatever the run's default: a
    /// test class run on both databases says so once, before its first portal, and its restarts follow.
    /// </summary>
    public static void Use(string dataDirectory, TestDatabaseProvider provider) => Chosen[Key(dataDirectory)] = provider;

    /// <summary>The provider of the portal on <paramref name="dataDirectory"/>: the one chosen for that folder, else the run's default.</summary>
    public static TestDatabaseProvider ProviderOf(string dataDirectory) =>
        Chosen.TryGetValue(Key(dataDirectory), out var provider) ? provider : Default;

    /// <summary>
    /// <c>ConnectionStrings:Portal</c> for a portal on <paramref name="dataDirectory"/>: <c>null</c> on SQLite (the portal's
    /// default file in the folder), else the folder's PostgreSQL database, created empty on first use.
    /// </summary>
    public static string? PortalConnectionString(string dataDirectory, TestDatabaseProvider provider)
    {
        if (provider == TestDatabaseProvider.Sqlite)
        {
            return null;
        }

        var key = Key(dataDirectory);
        Chosen[key] = provider;
        return PostgreSqlDatabases.GetOrAdd(key, k => new Lazy<string>(() => Task.Run(async () =>
        {
            var cluster = await PostgresCluster.SharedAsync().ConfigureAwait(false);
            return await cluster.CreateDatabaseAsync(DatabaseName(k)).ConfigureAwait(false);
        }).GetAwaiter().GetResult())).Value;
    }

    /// <summary>The database of the portal on <paramref name="dataDirectory"/>, opened the way the portal opens it (works while it runs, and after it stopped).</summary>
    public static PortalDbContext Open(string dataDirectory)
    {
        if (ProviderOf(dataDirectory) == TestDatabaseProvider.PostgreSql && PostgreSqlDatabases.TryGetValue(Key(dataDirectory), out var database))
        {
            return new PostgreSqlPortalDbContext(new DbContextOptionsBuilder<PostgreSqlPortalDbContext>().UseNpgsql(database.Value).Options);
        }

        return new PortalDbContext(new DbContextOptionsBuilder<PortalDbContext>()
            .UseSqlite(DataModule.PortalConnectionString(new ConfigurationBuilder().Build(), new DataDirectory(dataDirectory)))
            .Options);
    }

    private static string Key(string dataDirectory) => Path.GetFullPath(dataDirectory).TrimEnd(Path.DirectorySeparatorChar);

    private static string DatabaseName(string key) =>
        "portal_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..20];
}
