namespace LabPortal.Infrastructure.Data;

/// <summary>
/// A cloud resource a lab run owns. Written as an intent before the create call and completed
/// after it, so a crash in between is found and resumed (by name, tag or client token) instead of
/// creating a second resource or losing track of one.
/// </summary>
public sealed class LedgerEntry
{
    public int Id { get; set; }

    public int LabRunId { get; set; }

    public LabRun LabRun { get; set; } = null!;

    public int? StepRunId { get; set; }

    /// <summary>Resource kind, stored by its name (<c>SecurityGroup</c>, <c>Instance</c>, <c>TargetGroup</c>...).</summary>
    public required ResourceKind Kind { get; set; }

    public required string Name { get; set; }

    /// <summary>The idempotency token sent with the create call, where the API takes one.</summary>
    public string? ClientToken { get; set; }

    /// <summary>The id or ARN AWS gave the resource; null while only intended.</summary>
    public string? ResourceId { get; set; }

    public required string Region { get; set; }

    public LedgerState State { get; set; }

    public DateTime CreatedAtUtc { get; set; }

    public DateTime? CompletedAtUtc { get; set; }

    public DateTime? DeletedAtUtc { get; set; }
}
