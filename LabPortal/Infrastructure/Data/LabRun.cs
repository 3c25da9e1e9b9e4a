namespace LabPortal.Infrastructure.Data;

/// <summary>One learner working through one lab; owns its step runs and its resource ledger.</summary>
public sealed class LabRun
{
    public int Id { get; set; }

    public int UserId { get; set; }

    public User User { get; set; } = null!;

    public required string LabId { get; set; }

    public LabRunStatus Status { get; set; }

    /// <summary>The step the learner is on (or last opened).</summary>
    public string? CurrentStepId { get; set; }

    public int? CloudAccountId { get; set; }

    public CloudAccount? CloudAccount { get; set; }

    /// <summary>Prefix for every resource name, so learners sharing one AWS account never collide.</summary>
    public required string NamePrefix { get; set; }

    public DateTime StartedAtUtc { get; set; }

    public DateTime LastActivityAtUtc { get; set; }

    public DateTime? FinishedAtUtc { get; set; }

    /// <summary>When auto-cleanup showed the learner its countdown banner; null when not warned.</summary>
    public DateTime? CleanupWarnedAtUtc { get; set; }

    /// <summary>When the learner pressed "keep working" (allowed once per run).</summary>
    public DateTime? ExtendedAtUtc { get; set; }

    /// <summary>Why the run is being or was torn down; null while it was never asked to be.</summary>
    public TeardownReason? TeardownReason { get; set; }

    /// <summary>Set while one teardown execution works on the run (until this time): a duplicate execution does nothing.</summary>
    public DateTime? TeardownLeaseUntilUtc { get; set; }

    /// <summary>The Hangfire job whose teardown execution took <see cref="TeardownLeaseUntilUtc"/>, as <see cref="StepRun.LeaseHolder"/>.</summary>
    public string? TeardownLeaseHolder { get; set; }

    /// <summary>JSON object: the learner's parameter values by name.</summary>
    public string ValuesJson { get; set; } = "{}";

    /// <summary>JSON object: values the steps produced (ids, ARNs, DNS names) by name.</summary>
    public string OutputsJson { get; set; } = "{}";

    public List<StepRun> Steps { get; set; } = [];

    public List<LedgerEntry> Ledger { get; set; } = [];
}
