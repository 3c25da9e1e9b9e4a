using LabPortal.Features.LabRuns.Teardown;
using LabPortal.Infrastructure.Audit;
using LabPortal.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace LabPortal.Features.Cleanup;

/// <summary>
/// Instructor resets: a learner's or a whole class's live runs are torn down by durable jobs (one
/// per run, <see cref="RunTeardown"/>). Only the class's instructors may; anyone else
/// changes nothing.
/// </summary>
public sealed class ResetService(PortalDbContext db, AuditLog audit, TeardownScheduler teardowns)
{
    public const TeardownReason Reason = TeardownReason.Reset;

    public Task<bool> IsInstructorAsync(int classId, int userId, CancellationToken cancellationToken = default) =>
        db.ClassMemberships.AnyAsync(m => m.ClassroomId == classId && m.UserId == userId && m.Role == UserRole.Instructor, cancellationToken);

    public async Task<(ResetResult Result, int Runs)> ResetLearnerAsync(int classId, int actorUserId, int learnerId, CancellationToken cancellationToken = default)
    {
        if (!await IsInstructorAsync(classId, actorUserId, cancellationToken))
        {
            return (ResetResult.Forbidden, 0);
        }

        if (!await db.ClassMemberships.AnyAsync(m => m.ClassroomId == classId && m.UserId == learnerId && m.Role == UserRole.Student, cancellationToken))
        {
            return (ResetResult.NotFound, 0);
        }

        var runs = await LiveRunsAsync([learnerId], cancellationToken);
        await audit.WriteAsync(new AuditRecord(AuditActions.ResetLearner, AuditLog.Started, Describe(runs))
        {
            ActorUserId = actorUserId,
            ClassroomId = classId,
            SubjectUserId = learnerId,
        }, cancellationToken);
        await RequestAllAsync(runs, classId, actorUserId, cancellationToken);
        return (ResetResult.Started, runs.Count);
    }

    public async Task<(ResetResult Result, int Runs)> ResetClassAsync(int classId, int actorUserId, CancellationToken cancellationToken = default)
    {
        if (!await IsInstructorAsync(classId, actorUserId, cancellationToken))
        {
            return (ResetResult.Forbidden, 0);
        }

        var students = await db.ClassMemberships.Where(m => m.ClassroomId == classId && m.Role == UserRole.Student).Select(m => m.UserId).ToListAsync(cancellationToken);
        var runs = await LiveRunsAsync(students, cancellationToken);
        await audit.WriteAsync(new AuditRecord(AuditActions.ResetClass, AuditLog.Started, $"{students.Count} student(s). {Describe(runs)}")
        {
            ActorUserId = actorUserId,
            ClassroomId = classId,
        }, cancellationToken);
        await RequestAllAsync(runs, classId, actorUserId, cancellationToken);
        return (ResetResult.Started, runs.Count);
    }

    /// <summary>
    /// Every run not yet torn down; a run already tearing down (or whose teardown failed) is asked again. With an
    /// account pool, a learner whose runs are all torn down may still hold their account (a lab torn down from its
    /// finish step): the latest run on it is torn down again with the reset's reason, which cleans the whole
    /// account and returns it to the pool.
    /// </summary>
    private async Task<List<LabRun>> LiveRunsAsync(List<int> userIds, CancellationToken cancellationToken)
    {
        var runs = await db.LabRuns.Where(r => userIds.Contains(r.UserId) && r.Status != LabRunStatus.TornDown).OrderBy(r => r.Id).ToListAsync(cancellationToken);
        var held = await db.CloudAccounts
            .Where(a => userIds.Contains(a.UserId) && a.Provider == CloudProvider.AwsAccountPool && a.DeletedAtUtc == null)
            .Select(a => a.Id).ToListAsync(cancellationToken);
        foreach (var accountId in held.Where(id => !runs.Any(r => r.CloudAccountId == id)))
        {
            if (await db.LabRuns.Where(r => r.CloudAccountId == accountId).OrderByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken) is { } last)
            {
                runs.Add(last);
            }
        }

        return runs;
    }

    private async Task RequestAllAsync(List<LabRun> runs, int classId, int actorUserId, CancellationToken cancellationToken)
    {
        foreach (var run in runs)
        {
            await teardowns.RequestAsync(run, Reason, classId, actorUserId, cancellationToken);
        }
    }

    private static string Describe(List<LabRun> runs) =>
        runs.Count == 0 ? "No live runs: nothing to tear down." : $"{runs.Count} run(s): " + string.Join(", ", runs.Select(r => $"#{r.Id} {r.LabId} ({r.Status})"));
}
