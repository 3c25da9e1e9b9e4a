namespace LabPortal.Infrastructure.Jobs;

/// <summary>Which storage this portal's jobs use.</summary>
public sealed record JobStorageInfo(JobStorageKind Kind)
{
    /// <summary>
    /// True when no other process can be running this storage's jobs (SQLite): at start-up every
    /// lease a job execution held belongs to a process that is gone.
    /// </summary>
    public bool SingleProcess => Kind == JobStorageKind.Sqlite;
}
