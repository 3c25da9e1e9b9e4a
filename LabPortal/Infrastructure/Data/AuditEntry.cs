namespace LabPortal.Infrastructure.Data;

/// <summary>
/// One thing someone (or the portal itself) did to learners' labs: a reset, an auto-cleanup warning
/// or teardown, a "keep working" extension, an orphan deleted. Kept without foreign keys so the trail
/// outlives the runs, classes and users it names.
/// </summary>
public sealed class AuditEntry
{
    public int Id { get; set; }

    public DateTime AtUtc { get; set; }

    /// <summary>Who did it; null when the portal did it on its own (auto-cleanup, sweeper).</summary>
    public int? ActorUserId { get; set; }

    /// <summary>What was done, e.g. <c>reset-learner</c>, <c>reset-class</c>, <c>cleanup-warned</c>.</summary>
    public required string Action { get; set; }

    public int? ClassroomId { get; set; }

    /// <summary>The learner the action concerned, if one.</summary>
    public int? SubjectUserId { get; set; }

    public int? LabRunId { get; set; }

    /// <summary><c>started</c>, <c>succeeded</c> or <c>failed</c>.</summary>
    public required string Outcome { get; set; }

    /// <summary>Plain text for the instructor: what was deleted, what blocked it.</summary>
    public string Detail { get; set; } = "";
}
