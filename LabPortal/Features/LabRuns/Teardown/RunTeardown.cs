using Amazon.Runtime;
using Hangfire;
using LabPortal.Features.LabRuns.Engine;
using LabPortal.Features.Labs.Definitions;
using LabPortal.Infrastructure.Audit;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Data;
using LabPortal.Infrastructure.Guardrails;
using LabPortal.Infrastructure.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LabPortal.Features.LabRuns.Teardown;

/// <summary>
/// The one teardown of a run, whoever asked for it (<see cref="TeardownScheduler.RequestAsync"/>): the
/// learner's "Tear everything down" on a lab's finish step, an instructor's learner or class reset,
/// auto-cleanup. A Hangfire job enqueued with the run's id: the ledger's resources in dependency
/// order (<see cref="TeardownPass"/>), waits as continuations, on a learner reset on the sandbox
/// optionally the whole sandbox account, then a verification scan. The run becomes TornDown only
/// when the scan finds nothing; otherwise it stays TearingDown and the audit entry says what is left
/// and why. Idempotent: every deletion is recorded in the ledger as it happens, a lease keeps a
/// second delivery of the job from working at the same time, and a run no longer TearingDown is left alone.
/// </summary>
public sealed partial class RunTeardown(
    PortalDbContext db,
    LabCatalog catalog,
    LearnerCloud cloud,
    AuditLog audit,
    RunVerifier verifier,
    TeardownSlots slots,
    IBackgroundJobClient jobs,
    JobExecutions executions,
    IOptions<TeardownOptions> options,
    IOptions<JobsOptions> jobOptions,
    LeasedJobs leases,
    GuardrailReader guardrailReader,
    TimeProvider time,
    ILogger<RunTeardown> logger)
{
    /// <summary>A step still running when the teardown comes is waited for this long, so what it creates is torn down too.</summary>
    private static readonly TimeSpan StepGrace = TimeSpan.FromMinutes(15);

    public static void Enqueue(IBackgroundJobClient jobs, int runId) =>
        jobs.Enqueue<RunTeardown>(teardown => teardown.RunAsync(runId, CancellationToken.None));

    // Failures are handled inside (reported to the instructor with what is left); nothing for Hangfire to retry.
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Teardown of run {0}")]
    public async Task RunAsync(int runId, CancellationToken cancellationToken = default)
    {
        var limit = jobOptions.Value.ExecutionLimit;
        if (!await ClaimAsync(runId, limit, cancellationToken))
        {
            await LookAgainAfterLeaseAsync(runId, cancellationToken);

            executions.Skipped(JobExecutions.Teardown);
            return;
        }

        executions.Started(JobExecutions.Teardown);
        TimeSpan? continueAfter = null;
        var entered = slots.TryEnter();
        try
        {
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bound.CancelAfter(limit);
            // Every slot busy: give the worker back and come again shortly.
            continueAfter = entered ? await TearDownAsync(runId, cancellationToken, bound.Token) : TimeSpan.FromMilliseconds(500 + Random.Shared.Next(500));
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // The portal stops: the run stays TearingDown; Hangfire re-queues this job and the ledger says where it was.
            LogInterrupted(runId);
            await ReleaseAsync(runId);
            throw new OperationCanceledException(cancellationToken);
        }
        finally
        {
            if (entered)
            {
                slots.Release();
            }
        }

        await ReleaseAsync(runId);
        if (continueAfter is { } after)
        {
            jobs.Schedule<RunTeardown>(teardown => teardown.RunAsync(runId, CancellationToken.None), after);
        }
    }

    /// <summary>One pass; returns when to continue if AWS is still busy, null when the teardown ended (either way).</summary>
    private async Task<TimeSpan?> TearDownAsync(int runId, CancellationToken stopping, CancellationToken cancellationToken)
    {
        var run = await db.LabRuns.SingleAsync(r => r.Id == runId, cancellationToken);
        var lab = catalog.Find(run.LabId);
        var now = time.GetUtcNow().UtcDateTime;
        // The finish step's own step run waits for this teardown: it must not be waited for in turn.
        var finishSteps = lab?.Steps.Where(s => s.Kind == StepKind.Finish).Select(s => s.Id).ToList() ?? [];
        if (await db.StepRuns.AnyAsync(s => s.LabRunId == runId && (s.Status == StepRunStatus.Pending || s.Status == StepRunStatus.Running) && !finishSteps.Contains(s.StepId) && s.CreatedAtUtc > now - StepGrace, cancellationToken))
        {
            return TimeSpan.FromSeconds(2);
        }

        var started = await db.Audit.Where(a => a.LabRunId == runId && a.Action == AuditActions.Teardown && a.Outcome == AuditLog.Started)
            .OrderByDescending(a => a.Id).FirstOrDefaultAsync(cancellationToken);
        var live = await db.Ledger.Where(e => e.LabRunId == runId && e.State != LedgerState.Deleted).ToListAsync(cancellationToken);
        var region = lab?.Region ?? live.Select(e => e.Region).FirstOrDefault() ?? "us-east-1";
        var notes = new List<string>();
        var report = new TeardownReport();
        var deadline = new DateTimeOffset(DateTime.SpecifyKind(started?.AtUtc ?? now, DateTimeKind.Utc)) + options.Value.TimeLimit;
        try
        {
            if (live.Count > 0)
            {
                // Picked up before the embedded sandbox listens (start-up order): come back shortly.
                if (!cloud.IsReady)
                {
                    return TimeSpan.FromSeconds(1);
                }

                if (lab is null)
                {
                    throw new LabStepException("LabUnknown", $"The lab {run.LabId} is no longer in the catalog; its resources cannot be torn down in order.", $"{run.LabId} 실습이 카탈로그에 없어 순서대로 정리할 수 없습니다.");
                }

                var clients = await cloud.ClientsForAsync(run, region, cancellationToken);
                var probe = new StepRun { LabRunId = run.Id, StepId = "teardown", CreatedAtUtc = now };
                var context = new LabActionContext(db, run, probe, lab, clients, cloud.HasDataPlane, time)
                {
                    DataPlaneUrl = cloud.DataPlaneUrlFor,
                    WaitDeadline = deadline,
                    InlineWaitUntil = time.GetUtcNow() + jobOptions.Value.InlineWait,
                };
                try
                {
                    await TeardownPass.RunAsync(context, report, (entry, why) => WriteReleasedAsync(run, started, entry, why), cancellationToken);
                }
                catch (ContinueLaterException wait)
                {
                    return wait.After;
                }
            }

            var deleted = await db.Ledger.CountAsync(e => e.LabRunId == runId && e.State == LedgerState.Deleted, cancellationToken);
            notes.Add($"{deleted} resource(s) deleted.");
            await DropSandboxAccountIfDueAsync(run, started, notes, cancellationToken);

            var remaining = await verifier.RemainingAsync(run, region, cancellationToken);
            if (report.Failures.Count > 0)
            {
                // Everything else was tried; what AWS refused is named with its own words, and the run
                // stays TearingDown so "Clean up this run" (the sweeper) or a reset tries again.
                run.Status = LabRunStatus.TearingDown;
                notes.Add($"Could not delete {report.Failures.Count} resource(s): {report.Describe()}");
                notes.Add(remaining.Count == 0 ? "Verification scan: nothing else left." : $"Verification scan found {remaining.Count} resource(s) left: {string.Join("; ", remaining)}");
                notes.Add("Remove what AWS names, then clean up this run again.");
                await WriteAsync(run, started, AuditLog.Failed, string.Join(" ", notes), CancellationToken.None);
            }
            else if (remaining.Count == 0)
            {
                notes.Add("Verification scan: nothing left.");
                var pool = await ReturnPoolAccountIfDueAsync(run, region, deadline, notes, cancellationToken);
                if (pool == PoolAccountOutcome.NotYetEmpty)
                {
                    // The account's other resources are still going (instances shutting down...): the run stays
                    // TearingDown so this job can claim it again, and the next pass scans the account anew.
                    return TimeSpan.FromSeconds(2);
                }

                if (pool == PoolAccountOutcome.LeftOver)
                {
                    // Never reported done while the account holds something: a reset of the learner tries again.
                    run.Status = LabRunStatus.TearingDown;
                    await WriteAsync(run, started, AuditLog.Failed, string.Join(" ", notes), CancellationToken.None);
                }
                else
                {
                    run.Status = LabRunStatus.TornDown;
                    run.FinishedAtUtc ??= time.GetUtcNow().UtcDateTime;
                    await WriteAsync(run, started, AuditLog.Succeeded, string.Join(" ", notes), CancellationToken.None);
                }
            }
            else
            {
                // Never reported done while something remains: the run stays TearingDown and the instructor sees what.
                run.Status = LabRunStatus.TearingDown;
                notes.Add($"Verification scan found {remaining.Count} resource(s) left: {string.Join("; ", remaining)}");
                await WriteAsync(run, started, AuditLog.Failed, string.Join(" ", notes), CancellationToken.None);
            }
        }
        catch (Exception e) when (!stopping.IsCancellationRequested)
        {
            LogFailed(e, runId);
            run.Status = LabRunStatus.TearingDown;
            var what = e switch
            {
                AmazonServiceException aws => $"AWS refused: {aws.ErrorCode}: {aws.Message}",
                LabStepException step => step.English,
                OperationCanceledException => $"one execution took longer than {jobOptions.Value.ExecutionLimit.TotalSeconds:0} s",
                _ => e.Message,
            };
            var left = (await db.Ledger.Where(l => l.LabRunId == runId && l.State != LedgerState.Deleted).Select(l => new { l.Kind, Id = l.ResourceId ?? l.Name }).ToListAsync(CancellationToken.None))
                .Select(l => $"{l.Kind} {l.Id}").ToList();
            notes.Add($"Teardown failed: {what}. Still in the ledger: {(left.Count == 0 ? "nothing" : string.Join(", ", left))}.");
            await WriteAsync(run, started, AuditLog.Failed, string.Join(" ", notes), CancellationToken.None);
        }

        return null;
    }

    private async Task<bool> ClaimAsync(int runId, TimeSpan limit, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var until = now + limit + limit;
        var holder = leases.Holder;
        var claimed = await db.LabRuns
            .Where(r => r.Id == runId && r.Status == LabRunStatus.TearingDown && (r.TeardownLeaseUntilUtc == null || r.TeardownLeaseUntilUtc < now))
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.TeardownLeaseUntilUtc, until).SetProperty(r => r.TeardownLeaseHolder, holder), cancellationToken);
        return claimed == 1;
    }

    /// <summary>The run is still being torn down and another execution holds the lease, which may have died with its node: <see cref="LeasedJobs"/>.</summary>
    private async Task LookAgainAfterLeaseAsync(int runId, CancellationToken cancellationToken)
    {
        var held = await db.LabRuns.AsNoTracking()
            .Where(r => r.Id == runId && r.Status == LabRunStatus.TearingDown && r.TeardownLeaseUntilUtc != null)
            .Select(r => new { Until = r.TeardownLeaseUntilUtc!.Value, Holder = r.TeardownLeaseHolder })
            .SingleOrDefaultAsync(cancellationToken);
        if (held is not null)
        {
            leases.ComeBackUnlessHolderWorks<RunTeardown>(teardown => teardown.RunAsync(runId, CancellationToken.None), held.Until, held.Holder);
        }
    }

    private Task<int> ReleaseAsync(int runId) =>
        db.LabRuns.Where(r => r.Id == runId).ExecuteUpdateAsync(set => set.SetProperty(r => r.TeardownLeaseUntilUtc, (DateTime?)null), CancellationToken.None);

    /// <summary>
    /// An account pool, on a reset: once none of the learner's runs on the account is live, the whole account is
    /// cleaned in the lab's regions (the run's, and every region the learner's classes allow): every instance,
    /// Auto Scaling group, launch template, load balancer, target group, security group and VPC part, whether a
    /// run made it or the learner made it by hand (<see cref="PoolAccountSweep"/>). Only when a scan of every
    /// such region then finds nothing does the account go back to the pool; until the teardown's deadline a
    /// scan that still finds something brings the job back shortly.
    /// </summary>
    private async Task<PoolAccountOutcome> ReturnPoolAccountIfDueAsync(LabRun run, string region, DateTimeOffset deadline, List<string> notes, CancellationToken cancellationToken)
    {
        if (!cloud.UsesAccountPool || run.TeardownReason != TeardownReason.Reset || run.CloudAccountId is not { } accountRowId)
        {
            return PoolAccountOutcome.NotDue;
        }

        var account = await db.CloudAccounts.SingleOrDefaultAsync(a => a.Id == accountRowId && a.DeletedAtUtc == null && a.Provider == CloudProvider.AwsAccountPool, cancellationToken);
        if (account is null || await db.LabRuns.AnyAsync(r => r.CloudAccountId == accountRowId && r.Id != run.Id && r.Status != LabRunStatus.TornDown, cancellationToken))
        {
            return PoolAccountOutcome.NotDue;
        }

        var guardrails = await guardrailReader.ForLearnerAsync(account.UserId, cancellationToken);
        var regions = guardrails.Regions.Prepend(region).Distinct(StringComparer.Ordinal).ToList();
        // Short waits (an instance shutting down before its group can go) inside this execution's inline share;
        // longer ones as a continuation of the job.
        var inlineUntil = time.GetUtcNow() + jobOptions.Value.InlineWait;
        var refused = new List<string>();
        var left = new List<TaggedResource>();
        while (true)
        {
            refused.Clear();
            left.Clear();
            foreach (var each in regions)
            {
                refused.AddRange(await PoolAccountSweep.PassAsync(await cloud.PoolClientsAsync(account, each, cancellationToken), each, cancellationToken));
            }

            foreach (var each in regions)
            {
                left.AddRange(await TaggedResourceScanner.ScanAsync(await cloud.PoolClientsAsync(account, each, cancellationToken), each, null, null, cancellationToken));
            }

            if (left.Count == 0 || refused.Count > 0 || time.GetUtcNow() + TimeSpan.FromSeconds(1) >= inlineUntil)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken);
        }

        if (left.Count == 0)
        {
            await cloud.ReleasePoolAccountAsync(account, cancellationToken);
            notes.Add($"Pool account {account.AccountId} cleaned, scanned empty in {string.Join(", ", regions)} and returned to the pool.");
            return PoolAccountOutcome.Returned;
        }

        if (refused.Count == 0 && time.GetUtcNow() < deadline)
        {
            return PoolAccountOutcome.NotYetEmpty;
        }

        notes.Add($"Pool account {account.AccountId} kept by the learner: the scan still finds {left.Count} resource(s) in it: {string.Join("; ", left.Select(r => r.Describe + " in " + r.Region))}.");
        if (refused.Count > 0)
        {
            notes.Add($"AWS refused: {string.Join("; ", refused)}.");
        }

        notes.Add("Remove what is named, then reset the learner again.");
        return PoolAccountOutcome.LeftOver;
    }

    private enum PoolAccountOutcome
    {
        NotDue,
        Returned,
        NotYetEmpty,
        LeftOver,
    }

    private async Task DropSandboxAccountIfDueAsync(LabRun run, AuditEntry? started, List<string> notes, CancellationToken cancellationToken)
    {
        if (!options.Value.DropSandboxAccountOnReset || cloud.Mode != CloudMode.Sandbox || run.TeardownReason != TeardownReason.Reset || run.CloudAccountId is not { } accountRowId)
        {
            return;
        }

        // The account is the learner's, shared by their runs: dropped only when none of them is live any more.
        var account = await db.CloudAccounts.SingleOrDefaultAsync(a => a.Id == accountRowId && a.DeletedAtUtc == null, cancellationToken);
        if (account is null || await db.LabRuns.AnyAsync(r => r.CloudAccountId == accountRowId && r.Id != run.Id && r.Status != LabRunStatus.TornDown, cancellationToken))
        {
            return;
        }

        var dropped = await cloud.DeleteSandboxAccountAsync(account, cancellationToken);
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

    /// <summary>A ledger entry released instead of deleted: its resource is not the run's (issue 13).</summary>
    private Task<AuditEntry> WriteReleasedAsync(LabRun run, AuditEntry? started, LedgerEntry entry, string why) =>
        audit.WriteAsync(new AuditRecord(AuditActions.LedgerEntryReleased, AuditLog.Succeeded,
            $"Ledger entry {entry.Kind} {entry.ResourceId} ({entry.Name}) of run #{run.Id} released, not deleted: {why}, so it is not this run's.")
        {
            ActorUserId = started?.ActorUserId,
            ClassroomId = started?.ClassroomId,
            SubjectUserId = run.UserId,
            LabRunId = run.Id,
        }, CancellationToken.None);

    private Task<AuditEntry> WriteAsync(LabRun run, AuditEntry? started, string outcome, string detail, CancellationToken cancellationToken) =>
        audit.WriteAsync(new AuditRecord(AuditActions.Teardown, outcome, $"Reason: {run.TeardownReason?.StoredName()}. {detail}")
        {
            ActorUserId = started?.ActorUserId,
            ClassroomId = started?.ClassroomId,
            SubjectUserId = run.UserId,
            LabRunId = run.Id,
        }, cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Teardown of run {RunId} interrupted by shutdown; Hangfire runs it again after the restart")]
    private partial void LogInterrupted(int runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teardown of run {RunId} failed")]
    private partial void LogFailed(Exception exception, int runId);
}
