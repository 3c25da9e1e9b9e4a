using Amazon.Runtime;
using Hangfire;
using LabPortal.Features.LabRuns.Actions;
using LabPortal.Features.LabRuns.Teardown;
using LabPortal.Features.Labs.Definitions;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Data;
using LabPortal.Infrastructure.Jobs;
using LabPortal.Infrastructure.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LabPortal.Features.LabRuns.Engine;

/// <summary>
/// Runs one step run's action as a Hangfire job (enqueued with the step run's id only). Each
/// execution is short and bounded (<see cref="JobsOptions.ExecutionLimit"/>, enforced with a
/// cancellation token): a wait for AWS ends the execution and schedules a continuation
/// (<see cref="ContinueLaterException"/>). Hangfire delivers a job at least once; a lease on the step
/// run keeps a second delivery from working at the same time, and the ledger makes a re-run find
/// what the first one created. A transient AWS failure (throttling, 5xx, timeouts) is retried by
/// Hangfire with backoff; any other failure fails the step at once with its explanation.
/// </summary>
public sealed partial class StepRunner(
    PortalDbContext db,
    LabCatalog catalog,
    LearnerCloud cloud,
    IEnumerable<ILabAction> actions,
    IBackgroundJobClient jobs,
    JobExecutions executions,
    GuardrailCheck guardrails,
    TeardownScheduler teardowns,
    IOptions<JobsOptions> options,
    LeasedJobs leases,
    TimeProvider time,
    RunChanges changes,
    ILogger<StepRunner> logger)
{
    /// <summary>The first execution and Hangfire's automatic retries together (see the attribute on <see cref="RunAsync"/>).</summary>
    public const int MaxAttempts = 4;

    public static void Enqueue(IBackgroundJobClient jobs, int stepRunId) =>
        jobs.Enqueue<StepRunner>(runner => runner.RunAsync(stepRunId, CancellationToken.None));

    [AutomaticRetry(Attempts = MaxAttempts - 1, DelaysInSeconds = [2, 8, 30], OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    [JobDisplayName("Step run {0}")]
    public async Task RunAsync(int stepRunId, CancellationToken cancellationToken = default)
    {
        var limit = options.Value.ExecutionLimit;
        if (!await ClaimAsync(stepRunId, limit, cancellationToken))
        {
            await LookAgainAfterLeaseAsync(stepRunId, cancellationToken);

            executions.Skipped(JobExecutions.Step);
            return;
        }

        executions.Started(JobExecutions.Step);
        var stepRun = await db.StepRuns.Include(s => s.LabRun).SingleAsync(s => s.Id == stepRunId, cancellationToken);
        var now = time.GetUtcNow();
        var continuation = stepRun.WaitingUntilUtc is not null;
        stepRun.WaitingUntilUtc = null;
        if (!continuation)
        {
            stepRun.Attempts++;
        }

        stepRun.Status = StepRunStatus.Running;
        stepRun.StartedAtUtc ??= now.UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        changes.Publish(stepRun.LabRunId);

        var run = stepRun.LabRun;
        var lab = catalog.Find(run.LabId);
        var step = lab?.Step(stepRun.StepId);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(limit);
        TimeSpan? continueAfter = null;
        try
        {
            var action = actions.FirstOrDefault(a => a.Name == step?.Action)
                ?? throw new LabStepException("ActionUnavailable",
                    $"This version of LabPortal cannot run the action '{step?.Action}'. Tell your instructor.",
                    $"이 버전의 LabPortal은 '{step?.Action}' 작업을 실행할 수 없습니다. 강사에게 알려 주세요.");
            await guardrails.CheckAsync(run, lab!, step!, bound.Token);
            var clients = await cloud.ClientsForAsync(run, lab!.Region, bound.Token);
            var actionContext = new LabActionContext(db, run, stepRun, lab, clients, cloud.HasDataPlane, time)
            {
                DataPlaneUrl = cloud.DataPlaneUrlFor,
                InstanceProfileName = cloud.InstanceProfileName,
                Teardowns = teardowns,
                WaitDeadline = new DateTimeOffset(DateTime.SpecifyKind(stepRun.StartedAtUtc.Value, DateTimeKind.Utc)) + CloudSteps.StepWaitLimit,
                InlineWaitUntil = now + options.Value.InlineWait,
            };
            await action.RunAsync(actionContext, bound.Token);
            Finish(stepRun, StepRunStatus.Succeeded, null, null);
        }
        catch (ContinueLaterException wait)
        {
            continueAfter = wait.After;
            stepRun.WaitingUntilUtc = (time.GetUtcNow() + wait.After).UtcDateTime;
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // The portal stops (whatever failed meanwhile says nothing about the learner's step): the
            // lease goes back and Hangfire re-queues the job, which resumes from the ledger after the restart.
            stepRun.LeaseUntilUtc = null;
            await db.SaveChangesAsync(CancellationToken.None);
            LogInterrupted(stepRunId);
            throw new OperationCanceledException(cancellationToken);
        }
        catch (Exception e) when ((StepFailures.IsTransient(e) || bound.IsCancellationRequested) && stepRun.Attempts < MaxAttempts)
        {
            // Hangfire retries it with backoff (the attribute above); the student sees the attempt count and the last error.
            var code = e is AmazonServiceException aws ? aws.ErrorCode : bound.IsCancellationRequested ? "ExecutionTimedOut" : "NetworkError";
            stepRun.ErrorCode = code;
            stepRun.ErrorMessage = $"{e.Message} (attempt {stepRun.Attempts} of {MaxAttempts}; retried automatically)";
            stepRun.LeaseUntilUtc = null;
            await db.SaveChangesAsync(CancellationToken.None);
            changes.Publish(stepRun.LabRunId);
            LogRetrying(stepRunId, stepRun.Attempts, code);
            throw new StepRetryException(stepRunId, code, e);
        }
        catch (AmazonServiceException e)
        {
            // The code is AWS's; the page explains it through the error catalogue.
            Finish(stepRun, StepRunStatus.Failed, e.ErrorCode, e.Message);
            if (e.RequestId is { } requestId)
            {
                stepRun.RequestIds = string.IsNullOrEmpty(stepRun.RequestIds) ? requestId : stepRun.RequestIds + " " + requestId;
            }
        }
        catch (LabStepException e)
        {
            Finish(stepRun, StepRunStatus.Failed, e.Code, $"{e.English}\n{e.Korean}");
        }
        catch (AccountPoolExhaustedException)
        {
            Finish(stepRun, StepRunStatus.Failed, AccountPoolExhaustedException.Code, $"{AccountPoolExhaustedException.EnglishText}\n{AccountPoolExhaustedException.KoreanText}");
        }
        catch (Exception e) when (bound.IsCancellationRequested)
        {
            Finish(stepRun, StepRunStatus.Failed, "ExecutionTimedOut", $"One execution of the step took longer than {limit.TotalSeconds:0} s, {MaxAttempts} times: {e.Message}");
        }
        catch (Exception e)
        {
            LogUnexpected(e, stepRunId);
            Finish(stepRun, StepRunStatus.Failed, "InternalError", e.Message);
        }

        // Saved without the job's token: a shutdown must not lose the outcome of finished work.
        stepRun.LeaseUntilUtc = null;
        await db.SaveChangesAsync(CancellationToken.None);
        changes.Publish(stepRun.LabRunId);
        if (continueAfter is { } after)
        {
            jobs.Schedule<StepRunner>(runner => runner.RunAsync(stepRunId, CancellationToken.None), after);
        }
    }

    /// <summary>The step is unfinished and another execution holds its lease, which may have died with its node: <see cref="LeasedJobs"/>.</summary>
    private async Task LookAgainAfterLeaseAsync(int stepRunId, CancellationToken cancellationToken)
    {
        var held = await db.StepRuns.AsNoTracking()
            .Where(s => s.Id == stepRunId && (s.Status == StepRunStatus.Pending || s.Status == StepRunStatus.Running) && s.LeaseUntilUtc != null)
            .Select(s => new { Until = s.LeaseUntilUtc!.Value, Holder = s.LeaseHolder })
            .SingleOrDefaultAsync(cancellationToken);
        if (held is not null && leases.ComeBackUnlessHolderWorks<StepRunner>(runner => runner.RunAsync(stepRunId, CancellationToken.None), held.Until, held.Holder))
        {
            LogLeaseHeld(stepRunId, held.Until);
        }
    }

    /// <summary>Takes the step run's lease, unless it is finished or another execution holds it.</summary>
    private async Task<bool> ClaimAsync(int stepRunId, TimeSpan limit, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var until = now + limit + limit;
        var holder = leases.Holder;
        var claimed = await db.StepRuns
            .Where(s => s.Id == stepRunId && (s.Status == StepRunStatus.Pending || s.Status == StepRunStatus.Running) && (s.LeaseUntilUtc == null || s.LeaseUntilUtc < now))
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.LeaseUntilUtc, until).SetProperty(s => s.LeaseHolder, holder), cancellationToken);
        return claimed == 1;
    }

    private void Finish(StepRun stepRun, StepRunStatus status, string? code, string? message)
    {
        stepRun.Status = status;
        stepRun.ErrorCode = code;
        stepRun.ErrorMessage = message is { Length: > 2000 } ? message[..2000] : message;
        stepRun.FinishedAtUtc = time.GetUtcNow().UtcDateTime;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Step run {StepRunId} was interrupted by a shutdown; Hangfire runs it again after the restart")]
    private partial void LogInterrupted(int stepRunId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Step run {StepRunId} is leased until {LeaseUntilUtc:O} by an execution that is gone; looking again after that")]
    private partial void LogLeaseHeld(int stepRunId, DateTime leaseUntilUtc);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Step run {StepRunId} attempt {Attempt} failed transiently ({Code}); Hangfire retries it")]
    private partial void LogRetrying(int stepRunId, int attempt, string code);

    [LoggerMessage(Level = LogLevel.Error, Message = "Step run {StepRunId} failed unexpectedly")]
    private partial void LogUnexpected(Exception exception, int stepRunId);
}
