using System.Globalization;

namespace LabPortal.Tests.Support;

/// <summary>
/// Job settings for a test that kills a portal and starts it again on the same data folder. On SQLite the restart
/// releases the killed executions' leases at once (one process per storage). On PostgreSQL it cannot (another node
/// could hold them, ADR 0003): the work resumes once Hangfire hands the killed job out again
/// (<c>Jobs:NodeFailoverTimeout</c>) and that job finds its own dead lease run out (2 x <c>Jobs:ExecutionLimit</c>).
/// Short ones, as the two-node tests use, keep that inside a test's time.
/// </summary>
public static class CrashRestart
{
    private static readonly TimeSpan PostgreSqlExecutionLimit = TimeSpan.FromSeconds(15);

    /// <summary>Adds the job settings for a portal on <paramref name="dataDirectory"/> to <paramref name="settings"/>.</summary>
    public static Dictionary<string, string?> WithJobSettings(this Dictionary<string, string?> settings, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (TestDatabase.ProviderOf(dataDirectory) == TestDatabaseProvider.PostgreSql)
        {
            settings["Jobs:NodeFailoverTimeout"] = "00:00:05";
            settings["Jobs:ExecutionLimit"] = PostgreSqlExecutionLimit.ToString("c", CultureInfo.InvariantCulture);
        }

        return settings;
    }

    /// <summary>How long a killed execution's lease can hold its work after a restart on <paramref name="dataDirectory"/>'s database: nothing on SQLite.</summary>
    public static TimeSpan LeaseWait(string dataDirectory) =>
        TestDatabase.ProviderOf(dataDirectory) == TestDatabaseProvider.PostgreSql ? 2 * PostgreSqlExecutionLimit : TimeSpan.Zero;
}
