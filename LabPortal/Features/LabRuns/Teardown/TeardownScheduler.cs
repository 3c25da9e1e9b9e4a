using Hangfire;
using LabPortal.Infrastructure.Audit;
using LabPortal.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace LabPortal.Features.LabRuns.Teardown;

/// <summary>
/// Asks for a run's teardown, for any reason: marks it TearingDown with the reason, audits the
/// request and enqueues <see cref="RunTeardown.RunAsync"/> with the run's id (asking twice is
/// harmless: a second execution finds the run leased or finished). The database, not the job
/// storage, is the record of what must still be torn down: <see cref="ResumeInterruptedAsync"/>
/// enqueues again every run a stop or a crash left TearingDown.
/// </summary>
public sealed class TeardownScheduler(PortalDbContext db, AuditLog audit, IBackgroundJobClient jobs, TimeProvider time)
{
    public async Task RequestAsync(LabRun run, TeardownReason reason, int? classroomId, int? actorUserId, CancellationToken cancellationToken = default)
    {
        run.Status = LabRunStatus.TearingDown;
        run.TeardownReason = reason;
        run.CleanupWarnedAtUtc = null;
        var resources = await db.Ledger.CountAsync(e => e.LabRunId == run.Id && e.State != LedgerState.Deleted, cancellationToken);
        await audit.WriteAsync(new AuditRecord(AuditActions.Teardown, AuditLog.Started, $"Reason: {reason.StoredName()}. {resources} resource(s) in the ledger; lab {run.LabId}.")
        {
            ActorUserId = actorUserId,
            ClassroomId = classroomId,
            SubjectUserId = run.UserId,
            LabRunId = run.Id,
        }, cancellationToken);
        RunTeardown.Enqueue(jobs, run.Id);
    }

    /// <summary>
    /// Runs whose teardown was asked for but never finished (the portal stopped or crashed during
    /// it): their last teardown audit entry still says <c>started</c> and no execution holds them. A
    /// teardown that failed stays failed (shown to the instructor, who can reset again) instead of
    /// being retried forever.
    /// </summary>
    public async Task<int> ResumeInterruptedAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var tearingDown = await db.LabRuns
            .Where(r => r.Status == LabRunStatus.TearingDown && (r.TeardownLeaseUntilUtc == null || r.TeardownLeaseUntilUtc < now))
            .Select(r => r.Id).ToListAsync(cancellationToken);
        var resumed = 0;
        foreach (var runId in tearingDown)
        {
            var last = await db.Audit.Where(a => a.LabRunId == runId && a.Action == AuditActions.Teardown).OrderByDescending(a => a.Id).Select(a => a.Outcome).FirstOrDefaultAsync(cancellationToken);
            if (last is null or AuditLog.Started)
            {
                RunTeardown.Enqueue(jobs, runId);
                resumed++;
            }
        }

        return resumed;
    }
}
