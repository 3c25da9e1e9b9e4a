using LabPortal.Infrastructure.Data;
using LabPortal.Infrastructure.Live;

namespace LabPortal.Infrastructure.Audit;

/// <summary>
/// Writes the audit trail (db.Audit): who did what to which learner's lab, when, and how it ended.
/// Every reset, cleanup warning, teardown, extension and orphan deletion goes through here.
/// </summary>
public sealed class AuditLog(PortalDbContext db, TimeProvider time, RunChanges changes)
{
    public const string Started = "started";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Refused = "refused";

    /// <summary>Adds one entry and saves it (with whatever else the context has pending, on purpose: the record and the change land together).</summary>
    public async Task<AuditEntry> WriteAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        var entry = new AuditEntry
        {
            AtUtc = time.GetUtcNow().UtcDateTime,
            ActorUserId = record.ActorUserId,
            Action = record.Action,
            ClassroomId = record.ClassroomId,
            SubjectUserId = record.SubjectUserId,
            LabRunId = record.LabRunId,
            Outcome = record.Outcome,
            Detail = record.Detail.Length > 4000 ? record.Detail[..4000] + "…" : record.Detail,
        };
        db.Audit.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        // A teardown starting or ending, a warning, a kept run: the open dashboards follow (the reset's progress is read from these entries).
        if (entry.LabRunId is { } runId)
        {
            changes.Publish(runId);
        }

        return entry;
    }
}
