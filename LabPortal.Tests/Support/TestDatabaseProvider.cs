namespace LabPortal.Tests.Support;

/// <summary>Which database a portal fixture runs on (<see cref="TestDatabase"/>).</summary>
public enum TestDatabaseProvider
{
    /// <summary><c>labportal.db</c> in the fixture's data folder: the portal's default.</summary>
    Sqlite,

    /// <summary>A fresh database in the test process's shared throw-away cluster (<see cref="PostgresCluster.SharedAsync"/>).</summary>
    PostgreSql,
}
