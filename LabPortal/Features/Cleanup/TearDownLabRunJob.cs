using Amazon.Runtime;
using LabPortal.Features.LabRuns.Actions;
using LabPortal.Features.LabRuns.Engine;
using LabPortal.Features.Labs.Definitions;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Data;
using LabPortal.Sandbox.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;

namespace LabPortal.Features.Cleanup;

/// <summary>
/// Tears one run down for a reset or an auto-cleanup: the ledger's resources in dependency order
/// (<see cref="TearDownLab"/>), on a learner reset on the sandbox optionally the whole sandbox
/// account, then a verification scan that must find nothing. Durable and idempotent: the job
/// store keeps it (<c>RequestsRecovery</c>), every deletion is recorded in the ledger as it
/// happens, and a run no longer TearingDown is left alone. When the portal stops mid-way the job
/// gives up its work at once and <see cref="TeardownScheduler.ResumeInterruptedAsync"/> picks the
/// run up at the next start, from where the ledger says it stopped.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class TearDownLabRunJob(
    PortalDbContext db,
    LabCatalog catalog,
    LearnerCloud cloud,
    IEnumerable<ILabAction> actions,
    AuditLog audit,
    RunVerifier verifier,
    TeardownSlots slots,
    IHostApplicationLifetime lifetime,
    IOptions<CleanupOptions> options,
    IServiceProvider services,
    TimeProvider time,
    ILogger<TearDownLabRunJob> logger) : IJob
{
    /// <summary>A step still running when the teardown comes is waited for this long, so what it creates is torn down too.</summary>
    private static readonly TimeSpan StepGrace = TimeSpan.FromMinutes(15);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var runId = context.MergedJobDataMap.GetInt(TeardownScheduler.RunIdKey);
        if (!slots.TryEnter())
        {
            // Every slot is busy: give the job pool back and come again shortly (the job keeps this new trigger).
            await context.Scheduler.ScheduleJob(TeardownScheduler.TriggerFor(context.JobDetail.Key, time.GetUtcNow() + TimeSpan.FromMilliseconds(500 + Random.Shared.Next(500))), cancellationToken: cancellationToken);
            return;
        }

        try
        {
            using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
            await TearDownAsync(context, runId, stopping.Token);
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested || cancellationToken.IsCancellationRequested)
        {
            // The portal is stopping: the run stays TearingDown and resumes at the next start.
            LogInterrupted(runId);
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task TearDownAsync(IJobExecutionContext jobContext, int runId, CancellationToken cancellationToken)
    {
        var run = await db.LabRuns.SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null || run.Status != LabRunStatus.TearingDown)
        {
            return;
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (await db.StepRuns.AnyAsync(s => s.LabRunId == runId && (s.Status == StepRunStatus.Pending || s.Status == StepRunStatus.Running) && s.CreatedAtUtc > now - StepGrace, cancellationToken))
        {
            await jobContext.Scheduler.ScheduleJob(TeardownScheduler.TriggerFor(jobContext.JobDetail.Key, time.GetUtcNow() + TimeSpan.FromSeconds(2)), cancellationToken: cancellationToken);
            return;
        }

        var started = await db.Audit.Where(a => a.LabRunId == runId && a.Action == AuditActions.Teardown && a.Outcome == AuditLog.Started)
            .OrderByDescending(a => a.Id).FirstOrDefaultAsync(cancellationToken);
        var lab = catalog.Find(run.LabId);
        var live = await db.Ledger.Where(e => e.LabRunId == runId && e.State != LedgerState.Deleted).ToListAsync(cancellationToken);
        var region = lab?.Region ?? live.Select(e => e.Region).FirstOrDefault() ?? "us-east-1";
        var deletedBefore = await db.Ledger.CountAsync(e => e.LabRunId == runId && e.State == LedgerState.Deleted, cancellationToken);
        var notes = new List<string>();
        try
        {
            if (live.Count > 0)
            {
                if (lab is null)
                {
                    throw new LabStepException("LabUnknown", $"The lab {run.LabId} is no longer in the catalog; its resources cannot be torn down in order.", $"{run.LabId} 실습이 카탈로그에 없어 순서대로 정리할 수 없습니다.");
                }

                var clients = await cloud.ClientsForAsync(run, region, cancellationToken);
                var probe = new StepRun { LabRunId = run.Id, StepId = "teardown", CreatedAtUtc = now };
                var context = new LabActionContext(db, run, probe, lab, clients, cloud.HasDataPlane, time) { DataPlaneUrl = cloud.DataPlaneUrlFor };
                var teardown = actions.OfType<TearDownLab>().FirstOrDefault() ?? new TearDownLab();
                await teardown.RunAsync(context, cancellationToken);
            }

            var deleted = await db.Ledger.CountAsync(e => e.LabRunId == runId && e.State == LedgerState.Deleted, cancellationToken);
            notes.Add($"{deleted} resource(s) deleted ({deleted - deletedBefore} in this pass).");
            await DropSandboxAccountIfDueAsync(run, started, notes, cancellationToken);

            var remaining = await verifier.RemainingAsync(run, region, cancellationToken);
            if (remaining.Count == 0)
            {
                run.Status = LabRunStatus.TornDown;
                run.FinishedAtUtc ??= time.GetUtcNow().UtcDateTime;
                notes.Add("Verification scan: nothing left.");
                await WriteAsync(run, started, AuditLog.Succeeded, string.Join(" ", notes), CancellationToken.None);
            }
            else
            {
                // Never reported done while something remains: the run stays TearingDown and the instructor sees what.
                run.Status = LabRunStatus.TearingDown;
                notes.Add($"Verification scan found {remaining.Count} resource(s) left: {string.Join("; ", remaining)}");
                await WriteAsync(run, started, AuditLog.Failed, string.Join(" ", notes), CancellationToken.None);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogFailed(e, runId);
            run.Status = LabRunStatus.TearingDown;
            var what = e switch
            {
                AmazonServiceException aws => $"AWS refused: {aws.ErrorCode}: {aws.Message}",
                LabStepException step => step.English,
                _ => e.Message,
            };
            var left = await db.Ledger.Where(l => l.LabRunId == runId && l.State != LedgerState.Deleted).Select(l => l.Kind + " " + (l.ResourceId ?? l.Name)).ToListAsync(CancellationToken.None);
            notes.Add($"Teardown failed: {what}. Still in the ledger: {(left.Count == 0 ? "nothing" : string.Join(", ", left))}.");
            await WriteAsync(run, started, AuditLog.Failed, string.Join(" ", notes), CancellationToken.None);
        }
    }

    private async Task DropSandboxAccountIfDueAsync(LabRun run, AuditEntry? started, List<string> notes, CancellationToken cancellationToken)
    {
        if (!options.Value.DropSandboxAccountOnReset || cloud.Mode != CloudMode.Sandbox || run.TeardownReason != "reset" || run.CloudAccountId is not { } accountRowId)
        {
            return;
        }

        // The account is the learner's, shared by their runs: dropped only when none of them is live any more.
        var account = await db.CloudAccounts.SingleOrDefaultAsync(a => a.Id == accountRowId && a.DeletedAtUtc == null, cancellationToken);
        if (account is null || await db.LabRuns.AnyAsync(r => r.CloudAccountId == accountRowId && r.Id != run.Id && r.Status != LabRunStatus.TornDown, cancellationToken))
        {
            return;
        }

        var dropped = await services.GetRequiredService<ISandboxAccounts>().DeleteAccountAsync(account.AccountId, cancellationToken);
        account.DeletedAtUtc = time.GetUtcNow().UtcDateTime;
        await audit.WriteAsync(new AuditRecord(AuditActions.SandboxAccountDropped, dropped ? AuditLog.Succeeded : AuditLog.Failed, $"Sandbox account {account.AccountId} {(dropped ? "deleted" : "was already gone")}.")
        {
            ActorUserId = started?.ActorUserId,
            ClassroomId = started?.ClassroomId,
            SubjectUserId = run.UserId,
            LabRunId = run.Id,
        }, cancellationToken);
        notes.Add($"Sandbox account {account.AccountId} deleted.");
    }

    private Task<AuditEntry> WriteAsync(LabRun run, AuditEntry? started, string outcome, string detail, CancellationToken cancellationToken) =>
        audit.WriteAsync(new AuditRecord(AuditActions.Teardown, outcome, $"Reason: {run.TeardownReason}. {detail}")
        {
            ActorUserId = started?.ActorUserId,
            ClassroomId = started?.ClassroomId,
            SubjectUserId = run.UserId,
            LabRunId = run.Id,
        }, cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Teardown of run {RunId} interrupted by shutdown; it resumes at the next start")]
    private partial void LogInterrupted(int runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teardown of run {RunId} failed")]
    private partial void LogFailed(Exception exception, int runId);
}
