using LabPortal.Aws.Core;
using LabPortal.Features.Labs.Definitions;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace LabPortal.Features.LabRuns.Engine;

/// <summary>
/// Runs one step run's action. Durable: the job and its trigger live in the Quartz job store, and
/// <c>RequestsRecovery</c> re-runs it after a crash; the action then resumes from the ledger. A
/// shutdown stops the action at once and leaves the step pending rather than failed (its cloud, the
/// in-process sandbox, may already be gone); <see cref="StepRunResumer"/> schedules it again at start.
/// </summary>
public sealed partial class RunStepJob(
    PortalDbContext db,
    LabCatalog catalog,
    LearnerCloud cloud,
    IEnumerable<ILabAction> actions,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    Infrastructure.Live.RunChanges changes,
    ILogger<RunStepJob> logger) : IJob
{
    public const string StepRunIdKey = "stepRunId";

    public static readonly JobKey Key = new("run-step", "lab-runs");

    public static JobKey KeyFor(int stepRunId) => new($"step-run-{stepRunId}", "lab-runs");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var stepRunId = context.MergedJobDataMap.GetInt(StepRunIdKey);
        var stepRun = await db.StepRuns.Include(s => s.LabRun).SingleOrDefaultAsync(s => s.Id == stepRunId, cancellationToken);
        if (stepRun is null || stepRun.Status is StepRunStatus.Succeeded or StepRunStatus.Failed)
        {
            return;
        }

        var run = stepRun.LabRun;
        var lab = catalog.Find(run.LabId);
        var step = lab?.Step(stepRun.StepId);
        stepRun.Status = StepRunStatus.Running;
        stepRun.Attempts++;
        stepRun.StartedAtUtc ??= time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        changes.Publish(run.Id);

        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        try
        {
            var action = actions.FirstOrDefault(a => a.Name == step?.Action)
                ?? throw new LabStepException("ActionUnavailable",
                    $"This version of LabPortal cannot run the action '{step?.Action}'. Tell your instructor.",
                    $"이 버전의 LabPortal은 '{step?.Action}' 작업을 실행할 수 없습니다. 강사에게 알려 주세요.");
            var clients = await cloud.ClientsForAsync(run, lab!.Region, cancellationToken);
            var actionContext = new LabActionContext(db, run, stepRun, lab, clients, cloud.HasDataPlane, time) { DataPlaneUrl = cloud.DataPlaneUrlFor };
            await action.RunAsync(actionContext, stopping.Token);
            Finish(stepRun, StepRunStatus.Succeeded, null, null);
        }
        catch (Exception) when (stopping.IsCancellationRequested)
        {
            // Whatever failed while the portal stops (a cancelled wait, a sandbox that already closed)
            // says nothing about the learner's step: it runs again after the restart, from the ledger.
            stepRun.Status = StepRunStatus.Pending;
            LogInterrupted(stepRunId);
        }
        catch (AwsServiceException e)
        {
            // The code is AWS's; the page explains it through the error catalogue.
            Finish(stepRun, StepRunStatus.Failed, e.Code, e.Message);
            if (e.RequestId is { } requestId)
            {
                stepRun.RequestIds = string.IsNullOrEmpty(stepRun.RequestIds) ? requestId : stepRun.RequestIds + " " + requestId;
            }
        }
        catch (LabStepException e)
        {
            Finish(stepRun, StepRunStatus.Failed, e.Code, $"{e.English}\n{e.Korean}");
        }
        catch (Exception e)
        {
            LogUnexpected(e, stepRunId);
            Finish(stepRun, StepRunStatus.Failed, "InternalError", e.Message);
        }

        // Saved without the job's token: a shutdown must not lose the outcome of finished work.
        await db.SaveChangesAsync(CancellationToken.None);
        changes.Publish(run.Id);
    }

    private void Finish(StepRun stepRun, StepRunStatus status, string? code, string? message)
    {
        stepRun.Status = status;
        stepRun.ErrorCode = code;
        stepRun.ErrorMessage = message is { Length: > 2000 } ? message[..2000] : message;
        stepRun.FinishedAtUtc = time.GetUtcNow().UtcDateTime;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Step run {StepRunId} was interrupted by a shutdown; it resumes at the next start")]
    private partial void LogInterrupted(int stepRunId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Step run {StepRunId} failed unexpectedly")]
    private partial void LogUnexpected(Exception exception, int stepRunId);
}
