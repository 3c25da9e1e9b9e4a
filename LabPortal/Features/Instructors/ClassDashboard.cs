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
}

/// <summary>One learner of the class: how many runs and live resources they have.</summary>
public sealed record LearnerRow(int UserId, string DisplayName, int RunCount, int LiveResources);

/// <summary>Learners x steps of one lab; each row is the learner's latest run of it.</summary>
public sealed record LabMatrix(LabDefinition Lab, IReadOnlyList<MatrixRow> Rows);

/// <summary>One learner's cells, in the lab's step order; <see cref="RunId"/> is null when they never started the lab.</summary>
public sealed record MatrixRow(int UserId, string DisplayName, int? RunId, IReadOnlyList<StepCellState> Cells);

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
