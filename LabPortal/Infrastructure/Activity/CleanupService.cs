using LabPortal.Infrastructure.Audit;
using LabPortal.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace LabPortal.Infrastructure.Activity;

/// <summary>The learner's side of auto-cleanup: the limits that apply, the lab timer, "keep working".</summary>
public sealed class CleanupService(PortalDbContext db, CleanupClock clock, AuditLog audit)
{
    /// <summary>The strictest limits of the learner's classes (a learner in two classes gets the shorter ones).</summary>
    public async Task<ClassLimits> LimitsForAsync(int userId, CancellationToken cancellationToken = default) =>
        (await LimitsForAsync([userId], cancellationToken))[userId];

    /// <summary>Each learner's limits in one query (a class dashboard asks for all its learners on every change).</summary>
    public async Task<IReadOnlyDictionary<int, ClassLimits>> LimitsForAsync(IReadOnlyCollection<int> userIds, CancellationToken cancellationToken = default)
    {
        var classes = await db.ClassMemberships
            .Where(m => userIds.Contains(m.UserId) && m.Role == UserRole.Student)
            .Select(m => new { m.UserId, m.ClassroomId, m.Classroom.IdleLimitMinutes, m.Classroom.MaxLifetimeMinutes })
            .ToListAsync(cancellationToken);
        var byUser = classes.ToLookup(c => c.UserId);
        return userIds.Distinct().ToDictionary(id => id, id =>
        {
            var mine = byUser[id].ToList();
            if (mine.Count == 0)
            {
                return ClassLimits.Default;
            }

            var first = mine.MinBy(c => c.IdleLimitMinutes)!;
            return new ClassLimits(first.IdleLimitMinutes, mine.Min(c => c.MaxLifetimeMinutes), first.ClassroomId);
        });
    }

    /// <summary>The run's lab timer; null when the run is not active (nothing will be cleaned up).</summary>
    public async Task<CleanupTimer?> TimerForAsync(LabRun run, CancellationToken cancellationToken = default) =>
        run.Status == LabRunStatus.Active ? clock.TimerFor(run, await LimitsForAsync(run.UserId, cancellationToken)) : null;

    /// <summary>The timer from the run's stored state (a page may hold a copy loaded before it recorded the visit).</summary>
    public async Task<CleanupTimer?> TimerForAsync(int runId, CancellationToken cancellationToken = default) =>
        await db.LabRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, cancellationToken) is { } run ? await TimerForAsync(run, cancellationToken) : null;

    /// <summary>Extends the learner's own active run once: the warning goes, the idle clock restarts, the lifetime grows by the extension.</summary>
    public async Task<KeepWorkingResult> KeepWorkingAsync(int runId, int userId, CancellationToken cancellationToken = default)
    {
        var run = await db.LabRuns.SingleOrDefaultAsync(r => r.Id == runId && r.UserId == userId && r.Status == LabRunStatus.Active, cancellationToken);
        if (run is null)
        {
            return KeepWorkingResult.NotFound;
        }

        var limits = await LimitsForAsync(userId, cancellationToken);
        if (run.ExtendedAtUtc is { } extended)
        {
            await audit.WriteAsync(new AuditRecord(AuditActions.KeepWorking, AuditLog.Refused, $"Already extended at {extended:u}; one extension per run.")
            {
                ActorUserId = userId,
                ClassroomId = limits.ClassroomId,
                SubjectUserId = userId,
                LabRunId = runId,
            }, cancellationToken);
            return KeepWorkingResult.AlreadyExtended;
        }

        var now = clock.Now;
        run.ExtendedAtUtc = now;
        run.LastActivityAtUtc = now;
        var wasWarned = run.CleanupWarnedAtUtc is not null;
        run.CleanupWarnedAtUtc = null;
        await audit.WriteAsync(new AuditRecord(AuditActions.KeepWorking, AuditLog.Succeeded, wasWarned ? "Extended during the cleanup countdown." : "Extended before any warning.")
        {
            ActorUserId = userId,
            ClassroomId = limits.ClassroomId,
            SubjectUserId = userId,
            LabRunId = runId,
        }, cancellationToken);
        return KeepWorkingResult.Extended;
    }

    /// <summary>Records learner activity on the run (page views and posts), restarting its idle clock.</summary>
    public Task TouchAsync(int runId, int userId, CancellationToken cancellationToken = default)
    {
        var now = clock.Now;
        return db.LabRuns.Where(r => r.Id == runId && r.UserId == userId).ExecuteUpdateAsync(u => u.SetProperty(r => r.LastActivityAtUtc, now), cancellationToken);
    }
}
