namespace LabPortal.Infrastructure.Audit;

/// <summary>What <see cref="AuditLog"/> records; <see cref="ActorUserId"/> is null when the portal acted on its own.</summary>
public sealed record AuditRecord(string Action, string Outcome, string Detail = "")
{
    public int? ActorUserId { get; init; }

    public int? ClassroomId { get; init; }

    public int? SubjectUserId { get; init; }

    public int? LabRunId { get; init; }
}
