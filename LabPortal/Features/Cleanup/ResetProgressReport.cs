using LabPortal.Infrastructure.Data;

namespace LabPortal.Features.Cleanup;

public enum ResetState
{
    InProgress,
    Succeeded,
    Failed,
}

/// <summary>One run's teardown within a reset.</summary>
/// <param name="RunId">The lab run.</param>
/// <param name="UserId">Its learner.</param>
/// <param name="LabId">Its lab.</param>
/// <param name="Reason">Why the run is torn down (a reset, auto-cleanup, the learner, the sweeper); null when the run is gone.</param>
/// <param name="State">In progress, succeeded (verification scan found nothing), or failed (with what remains in <paramref name="Detail"/>).</param>
/// <param name="ResourcesTotal">Resources the run's ledger ever held.</param>
/// <param name="ResourcesLeft">Ledger resources not deleted yet.</param>
/// <param name="RequestedAtUtc">When the teardown was asked for.</param>
/// <param name="FinishedAtUtc">When it ended; null while in progress.</param>
/// <param name="Detail">The last audit entry's text: what was deleted, what blocks, what the scan found.</param>
public sealed record RunResetProgress(int RunId, int UserId, string LabId, TeardownReason? Reason, ResetState State, int ResourcesTotal, int ResourcesLeft, DateTime RequestedAtUtc, DateTime? FinishedAtUtc, string Detail);

/// <summary>A reset's progress: runs done of total, resources left, per run.</summary>
/// <param name="SinceUtc">The reset's start (teardowns asked for since then are counted); null when there was none.</param>
/// <param name="Runs">Each run's teardown.</param>
public sealed record ResetProgressReport(DateTime? SinceUtc, IReadOnlyList<RunResetProgress> Runs)
{
    public static readonly ResetProgressReport Empty = new(null, []);

    public int RunsTotal => Runs.Count;

    /// <summary>Runs whose teardown ended, either way.</summary>
    public int RunsDone => Runs.Count(r => r.State != ResetState.InProgress);

    public int RunsFailed => Runs.Count(r => r.State == ResetState.Failed);

    public int ResourcesLeft => Runs.Sum(r => r.ResourcesLeft);

    public bool Finished => RunsDone == RunsTotal;

    /// <summary>0..100 for a progress bar (100 when there is nothing to do).</summary>
    public int Percent => RunsTotal == 0 ? 100 : RunsDone * 100 / RunsTotal;
}
