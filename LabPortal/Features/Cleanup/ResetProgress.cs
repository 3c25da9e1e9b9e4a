using LabPortal.Infrastructure.Audit;
using LabPortal.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace LabPortal.Features.Cleanup;

/// <summary>
/// How far a reset has got, for the class dashboard's progress bar: runs done of total and the
/// resources still in their ledgers, from the audit trail (each run's teardown entries since the
/// reset) and the ledger. Read-only; the caller checks that the user is an instructor of the class
/// (<see cref="ResetService.IsInstructorAsync"/>).
/// </summary>
public sealed class ResetProgress(PortalDbContext db)
{
    /// <summary>The class's latest reset (class or learner), or the teardowns since <paramref name="sinceUtc"/>.</summary>
    public async Task<ResetProgressReport> ForClassAsync(int classId, DateTime? sinceUtc = null, CancellationToken cancellationToken = default)
    {
        var since = sinceUtc ?? await db.Audit
            .Where(a => a.ClassroomId == classId && (a.Action == AuditActions.ResetClass || a.Action == AuditActions.ResetLearner))
            .OrderByDescending(a => a.Id).Select(a => (DateTime?)a.AtUtc).FirstOrDefaultAsync(cancellationToken);
        return since is null ? ResetProgressReport.Empty : await ReportAsync(classId, null, since.Value, cancellationToken);
    }

    /// <summary>One learner's latest reset (their own or the class's), or the teardowns since <paramref name="sinceUtc"/>.</summary>
    public async Task<ResetProgressReport> ForLearnerAsync(int classId, int userId, DateTime? sinceUtc = null, CancellationToken cancellationToken = default)
    {
        var since = sinceUtc ?? await db.Audit
            .Where(a => a.ClassroomId == classId && (a.Action == AuditActions.ResetClass || (a.Action == AuditActions.ResetLearner && a.SubjectUserId == userId)))
            .OrderByDescending(a => a.Id).Select(a => (DateTime?)a.AtUtc).FirstOrDefaultAsync(cancellationToken);
        return since is null ? ResetProgressReport.Empty : await ReportAsync(classId, userId, since.Value, cancellationToken);
    }

    private async Task<ResetProgressReport> ReportAsync(int classId, int? userId, DateTime since, CancellationToken cancellationToken)
    {
        var entries = await db.Audit
            .Where(a => a.ClassroomId == classId && a.Action == AuditActions.Teardown && a.LabRunId != null && a.AtUtc >= since && (userId == null || a.SubjectUserId == userId))
            .OrderBy(a => a.Id)
            .ToListAsync(cancellationToken);
        var runIds = entries.Select(a => a.LabRunId!.Value).Distinct().ToList();
        var runs = await db.LabRuns.Where(r => runIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, cancellationToken);
        var ledger = await db.Ledger.Where(e => runIds.Contains(e.LabRunId))
            .GroupBy(e => e.LabRunId)
            .Select(g => new { RunId = g.Key, Total = g.Count(), Left = g.Count(e => e.State != LedgerState.Deleted) })
            .ToDictionaryAsync(g => g.RunId, cancellationToken);
        var items = new List<RunResetProgress>();
        foreach (var runId in runIds)
        {
            var trail = entries.Where(a => a.LabRunId == runId).ToList();
            var last = trail[^1];
            var state = last.Outcome switch
            {
                AuditLog.Succeeded => ResetState.Succeeded,
                AuditLog.Failed => ResetState.Failed,
                _ => ResetState.InProgress,
            };
            var counts = ledger.GetValueOrDefault(runId);
            runs.TryGetValue(runId, out var run);
            items.Add(new RunResetProgress(
                runId,
                last.SubjectUserId ?? run?.UserId ?? 0,
                run?.LabId ?? "",
                run?.TeardownReason,
                state,
                counts?.Total ?? 0,
                counts?.Left ?? 0,
                trail[0].AtUtc,
                state == ResetState.InProgress ? null : last.AtUtc,
                last.Detail));
        }

        return new ResetProgressReport(since, items);
    }
}
