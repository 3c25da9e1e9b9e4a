using LabPortal.Features.Labs.Definitions;
using LabPortal.Infrastructure.Activity;
using LabPortal.Infrastructure.Data;

namespace LabPortal.Features.Instructors;

/// <summary>One learner of a class as an instructor sees them: every run in depth, and the audit trail.</summary>
public sealed record LearnerDetail(
    int ClassId,
    string ClassName,
    int UserId,
    string DisplayName,
    DateTime AtUtc,
    bool OnSandbox,
    IReadOnlyList<LearnerRun> Runs,
    IReadOnlyList<AuditLine> Audit);

/// <summary>A run: its ledger beside the cloud, its step history (oldest first) and its estimated cost.</summary>
public sealed record LearnerRun(
    LabRun Run,
    LabDefinition? Lab,
    CleanupTimer? Deadline,
    CostEstimate? Cost,
    IReadOnlyList<LedgerComparison> Ledger,
    string? CloudProblem,
    IReadOnlyList<StepRun> Steps);

/// <summary>An audit entry with the actor's name (null when the portal acted on its own).</summary>
public sealed record AuditLine(AuditEntry Entry, string? ActorName);
