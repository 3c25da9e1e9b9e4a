namespace LabPortal.Infrastructure.Data;

/// <summary>
/// The one place that tells a PostgreSQL connection string from an SQLite one: the portal's data
/// (<see cref="DataModule"/>) and the job storage (<c>JobsModule</c>) both ask here, so they never disagree.
/// </summary>
public static class DatabaseProviders
{
    /// <summary>
    /// A URI (<c>postgres://</c>, <c>postgresql://</c>) or keywords naming a server (<c>Host=</c>): PostgreSQL.
    /// Anything else (<c>Data Source=file.db</c>) is an SQLite file.
    /// </summary>
    public static bool IsPostgreSql(string? connectionString) =>
        connectionString is not null
        && (connectionString.StartsWith("postgres", StringComparison.OrdinalIgnoreCase)
            || connectionString.Contains("Host=", StringComparison.OrdinalIgnoreCase));
}
