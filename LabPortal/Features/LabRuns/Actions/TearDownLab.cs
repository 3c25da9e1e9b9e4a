using LabPortal.Features.LabRuns.Engine;
using LabPortal.Features.LabRuns.Teardown;
using LabPortal.Infrastructure.Audit;
using LabPortal.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace LabPortal.Features.LabRuns.Actions;

/// <summary>
/// The finish step's "Tear everything down": asks for the run's teardown through the same use case
/// as resets and auto-cleanup (<see cref="RunTeardown"/>: dependency order, verification scan, audit
/// entry), then waits for it as continuations. The step succeeds when the run is TornDown, and fails
/// with what is left when the teardown's verification scan finds something.
/// </summary>
public sealed class TearDownLab : ILabAction
{
    public string Name => nameof(TearDownLab);

    public async Task RunAsync(LabActionContext context, CancellationToken cancellationToken)
    {
        var run = context.Run;
        var teardowns = context.Teardowns ?? throw new InvalidOperationException("The teardown action runs only as a step job, which can ask for the teardown.");
        var db = context.Db;
        // Only a teardown this step asked for (after the step started) counts: an earlier, failed reset does not.
        var since = context.StepRun.StartedAtUtc ?? context.StepRun.CreatedAtUtc;
        while (true)
        {
            await db.Entry(run).ReloadAsync(cancellationToken);
            if (run.Status == LabRunStatus.TornDown)
            {
                return;
            }

            var last = await db.Audit.Where(a => a.LabRunId == run.Id && a.Action == AuditActions.Teardown && a.AtUtc >= since)
                .OrderByDescending(a => a.Id).FirstOrDefaultAsync(cancellationToken);
            if (last is null)
            {
                var classroomId = await db.ClassMemberships.Where(m => m.UserId == run.UserId && m.Role == UserRole.Student)
                    .OrderByDescending(m => m.JoinedAtUtc).Select(m => (int?)m.ClassroomId).FirstOrDefaultAsync(cancellationToken);
                await teardowns.RequestAsync(run, TeardownReason.Learner, classroomId, run.UserId, cancellationToken);
            }
            else if (last.Outcome == AuditLog.Failed)
            {
                throw new LabStepException("TeardownIncomplete",
                    $"The teardown could not remove everything: {last.Detail}",
                    $"정리 작업이 모든 리소스를 지우지 못했습니다: {last.Detail}");
            }

            await CloudSteps.PollAgainAsync(context, TimeSpan.FromSeconds(1),
                "The teardown is taking longer than expected; your instructor can see what is left.",
                "정리 작업이 예상보다 오래 걸립니다. 강사가 남은 리소스를 볼 수 있습니다.",
                cancellationToken);
        }
    }
}
