using System.ComponentModel.DataAnnotations;

namespace LabPortal.Infrastructure.Jobs;

/// <summary>Background jobs (Hangfire), section <c>Jobs</c>. See docs/decisions/0003-background-jobs-on-hangfire.md.</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>
    /// Worker threads: jobs that run at once. Jobs mostly wait on AWS, so threads, not cores, bound them;
    /// 16 leaves 8 for learners' steps while a class reset holds every teardown slot (<c>Cleanup:MaxParallelTeardowns</c>).
    /// </summary>
    [Range(1, 64)]
    public int MaxConcurrency { get; set; } = 16;

    /// <summary>How often an idle worker looks for an enqueued job (the SQLite storage has no notifications).</summary>
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The most one execution of a job may take; a cancellation token enforces it. Waits for AWS become continuations well before.</summary>
    public TimeSpan ExecutionLimit { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long one execution may wait for AWS inline before it ends with a continuation.</summary>
    public TimeSpan InlineWait { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How long a fetched job stays hidden from other workers. The SQLite storage has no heartbeat, so a
    /// job running longer than this would be handed out a second time: it must stay well above <see cref="ExecutionLimit"/>.
    /// </summary>
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// PostgreSQL storage (several nodes): how long the job of a node that died stays hidden before another node
    /// runs it. A live node renews its running jobs (sliding invisibility, several times per timeout), so this bounds
    /// only how long a killed node's step waits; shorter means faster failover and more keep-alive writes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan NodeFailoverTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Where the storage lives when it is SQLite: a file in the data folder, apart from the portal's database.</summary>
    [Required]
    public string SqliteFile { get; set; } = "hangfire.db";

    /// <summary>True when the settings keep every execution well inside the invisibility timeout (checked at start).</summary>
    public bool IsConsistent => InvisibilityTimeout >= ExecutionLimit * 3 && InlineWait < ExecutionLimit;
}
