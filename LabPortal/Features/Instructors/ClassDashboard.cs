using LabPortal.Features.Cleanup;
using LabPortal.Features.Labs.Definitions;
using LabPortal.Infrastructure.Activity;
using LabPortal.Infrastructure.Data;

namespace LabPortal.Features.Instructors;

/// <summary>A whole class at one moment: its learners, a steps matrix per lab, and every run.</summary>
public sealed record ClassDashboard(
    int ClassId,
    string Name,
    int IdleLimitMinutes,
    int MaxLifetimeMinutes,
    DateTime AtUtc,
    bool OnSandbox,
    IReadOnlyList<LearnerRow> Learners,
    IReadOnlyList<LabMatrix> Matrices,
    IReadOnlyList<RunRow> Runs,
    IReadOnlyList<AuditLine> RecentAudit)
{
    /// <summary>The class's latest reset (class or learner) and how far it got; empty when there was none.</summary>
    public ResetProgressReport Reset { get; init; } = ResetProgressReport.Empty;

    /// <summary>
    /// The same class with these learners' rows, cells and runs replaced (a change to one run); learners the
    /// dashboard does not list yet are left for the next full reload, which also brings the audit and the reset.
    /// </summary>
    public ClassDashboard With(IReadOnlyList<LearnerUpdate> updates)
    {
        var changed = updates.Where(u => Learners.Any(l => l.UserId == u.Learner.UserId)).ToDictionary(u => u.Learner.UserId);
        if (changed.Count == 0)
        {
            return this;
        }

        return this with
        {
            Learners = [.. Learners.Select(l => changed.TryGetValue(l.UserId, out var u) ? u.Learner : l)],
            Matrices = [.. Matrices.Select(m => Replaced(m, changed))],
            Runs = [.. Runs.Where(r => !changed.ContainsKey(r.UserId)).Concat(changed.Values.SelectMany(u => u.Runs))
                .OrderByDescending(r => r.StartedAtUtc).ThenByDescending(r => r.RunId)],
        };
    }

    private LabMatrix Replaced(LabMatrix matrix, Dictionary<int, LearnerUpdate> changed)
    {
        var rows = matrix.Rows.ToDictionary(r => r.UserId);
        foreach (var (userId, update) in changed)
        {
            rows.Remove(userId);
            if (update.LatestByLab.TryGetValue(matrix.Lab.Id, out var row))
            {
                rows[userId] = row;
            }
        }

        // Rows and the "not started" names keep the learners' order.
        return matrix with
        {
            Rows = [.. Learners.Where(l => rows.ContainsKey(l.UserId)).Select(l => rows[l.UserId])],
            NotStarted = [.. Learners.Where(l => !rows.ContainsKey(l.UserId)).Select(l => l.DisplayName)],
        };
    }
}

/// <summary>One learner's part of the dashboard: their row, their latest run of each lab (by lab id) as a matrix row, and every run of theirs.</summary>
public sealed record LearnerUpdate(LearnerRow Learner, IReadOnlyDictionary<string, MatrixRow> LatestByLab, IReadOnlyList<RunRow> Runs);

/// <summary>
/// One learner of the class: how many runs and live resources they have, and what a reset would delete
/// (their runs not torn down yet, and the live resources by kind).
/// </summary>
public sealed record LearnerRow(int UserId, string DisplayName, int RunCount, int LiveResources)
{
    public IReadOnlyList<int> LiveRunIds { get; init; } = [];

    public IReadOnlyDictionary<string, int> LiveKinds { get; init; } = new Dictionary<string, int>();
}

/// <summary>
/// Learners x steps of one lab: a row per learner who started it (their latest run), and the names of
/// those who have not (counted in one line, not listed as rows of "not started").
/// </summary>
public sealed record LabMatrix(LabDefinition Lab, IReadOnlyList<MatrixRow> Rows, IReadOnlyList<string> NotStarted)
{
    /// <summary>What the lab's runs cost (or would cost on AWS) together; null when no run has a price.</summary>
    public decimal? CostUsd => Rows.Any(r => r.Cost is not null) ? Rows.Sum(r => r.Cost?.TotalUsd ?? 0m) : null;
}

/// <summary>One learner's latest run of a lab: its state, its cells in the lab's step order, when they last did something, its cost.</summary>
public sealed record MatrixRow(
    int UserId,
    string DisplayName,
    int RunId,
    LabRunStatus RunStatus,
    IReadOnlyList<StepCellState> Cells,
    DateTime LastActivityAtUtc,
    CostEstimate? Cost)
{
    public int DoneSteps => Cells.Count(c => c == StepCellState.Succeeded);

    /// <summary>The row as the state filter and the state column see it.</summary>
    public LearnerProgress Progress => RunStatus switch
    {
        LabRunStatus.TornDown or LabRunStatus.TearingDown => LearnerProgress.TornDown,
        LabRunStatus.Kept => LearnerProgress.Finished,
        _ when Cells.Count > 0 && Cells.All(c => c == StepCellState.Succeeded) => LearnerProgress.Finished,
        _ when Cells.Any(c => c == StepCellState.Failed) => LearnerProgress.Failing,
        _ when Cells.Any(c => c is StepCellState.Running or StepCellState.Pending) => LearnerProgress.Waiting,
        _ => LearnerProgress.Working,
    };

    /// <summary>How long an unfinished, active run has gone without the learner doing anything; null otherwise.</summary>
    public TimeSpan? IdleFor(DateTime nowUtc) =>
        RunStatus == LabRunStatus.Active && Progress != LearnerProgress.Finished ? nowUtc - LastActivityAtUtc : null;
}

/// <summary>Where a learner is in a lab, as the dashboard says it and filters by it.</summary>
public enum LearnerProgress
{
    /// <summary>Active, nothing failing or waiting for a job.</summary>
    Working,

    /// <summary>A step's job is queued or running.</summary>
    Waiting,

    /// <summary>A step's latest attempt failed (a wrong quiz answer, an AWS error).</summary>
    Failing,

    /// <summary>Every step done, or the learner finished and kept the resources.</summary>
    Finished,

    /// <summary>The run was torn down (or is being torn down): its resources are gone.</summary>
    TornDown,
}

/// <summary>One run as the runs table shows it.</summary>
public sealed record RunRow(
    int RunId,
    int UserId,
    string DisplayName,
    string LabId,
    LabDefinition? Lab,
    LabRunStatus Status,
    string? TeardownReason,
    int DoneSteps,
    int TotalSteps,
    CleanupTimer? Deadline,
    int LiveResources,
    DateTime StartedAtUtc,
    DateTime LastActivityAtUtc,
    CostEstimate? Cost);
