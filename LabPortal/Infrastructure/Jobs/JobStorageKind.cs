namespace LabPortal.Infrastructure.Jobs;

public enum JobStorageKind
{
    /// <summary>Hangfire.Storage.SQLite: one process only (its dequeue lock is in-process).</summary>
    Sqlite,

    /// <summary>Hangfire.PostgreSql: shared by several portal nodes.</summary>
    PostgreSql,
}
