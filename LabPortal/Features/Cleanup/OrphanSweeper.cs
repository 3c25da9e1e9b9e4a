using System.Globalization;
using Amazon.Runtime;
using LabPortal.Features.LabRuns.Teardown;
using LabPortal.Features.Labs.Definitions;
using LabPortal.Infrastructure.Audit;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Data;
using LabPortal.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace LabPortal.Features.Cleanup;

/// <summary>
/// The orphan sweeper: compares what the cloud holds under the <c>lab-portal:*</c> tags with the
/// ledger, for a class's students. On the sandbox it reads each student's own account, with an account pool
/// each student's pool account (through its role); with one shared AWS account, that account filtered by the
/// students' <c>lab-portal:learner</c> tags. It reports resources the
/// ledger does not know and that belong to no live run (not tagged by one, not a member of what one
/// owns), each with the reason, and ledger entries whose resource vanished, and deletes or forgets one on an instructor's request (audited). It also lists
/// the class's runs that still hold resources, with "clean up this run": the one teardown use case
/// (<see cref="TeardownScheduler"/>, then <c>RunTeardown</c>), as a reset would.
/// </summary>
public sealed class OrphanSweeper(PortalDbContext db, LearnerCloud cloud, LabCatalog catalog, AuditLog audit, TeardownScheduler teardowns, TimeProvider time)
{
    /// <summary>The kinds the tag scan can see (listeners and rules carry no tags of their own).</summary>
    public static IReadOnlySet<ResourceKind> ScannedKinds => ResourceKinds.Tagged;

    public async Task<OrphanReport> ScanAsync(int classId, int? onlyUserId = null, CancellationToken cancellationToken = default)
    {
        var students = await db.ClassMemberships
            .Where(m => m.ClassroomId == classId && m.Role == UserRole.Student && (onlyUserId == null || m.UserId == onlyUserId))
            .Select(m => new { m.UserId, m.User.DisplayName })
            .ToDictionaryAsync(s => s.UserId, s => s.DisplayName, cancellationToken);
        var studentIds = students.Keys.ToList();
        var regions = catalog.Labs.Select(l => l.Region).Distinct(StringComparer.Ordinal).ToList();
        var found = new List<(int? UserId, TaggedResource Resource)>();
        var errors = new List<string>();
        var scannedUsers = new HashSet<int>();

        // What live runs own: any run not torn down (whoever's), and the resources their ledgers hold.
        var liveRuns = (await db.LabRuns.Where(r => r.Status != LabRunStatus.TornDown).Select(r => r.Id).ToListAsync(cancellationToken)).ToHashSet();
        var liveLedger = (await db.Ledger.Where(e => e.ResourceId != null && e.State != LedgerState.Deleted && e.LabRun.Status != LabRunStatus.TornDown)
            .Select(e => e.ResourceId!).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var members = new HashSet<string>(StringComparer.Ordinal);

        if (cloud.Mode == CloudMode.Sandbox)
        {
            var accounts = await db.CloudAccounts.Where(a => studentIds.Contains(a.UserId) && a.Provider == CloudProvider.Sandbox && a.DeletedAtUtc == null).ToListAsync(cancellationToken);
            foreach (var account in accounts)
            {
                foreach (var region in regions)
                {
                    try
                    {
                        // A sandbox account is the learner's alone: everything in it is looked at, tagged or not.
                        var clients = cloud.SandboxClients(account, region);
                        var resources = await TaggedResourceScanner.ScanAsync(clients, region, null, null, cancellationToken);
                        found.AddRange(resources.Select(r => ((int?)account.UserId, r)));
                        await AddMembersAsync(clients, resources, liveRuns, liveLedger, members, cancellationToken);
                        scannedUsers.Add(account.UserId);
                    }
                    catch (AmazonServiceException e)
                    {
                        errors.Add($"{students[account.UserId]} ({region}): {e.ErrorCode} {e.Message}");
                    }
                }
            }
        }
        else if (cloud.UsesAccountPool)
        {
            // An account pool: each student's own account, entered through its role. Like a sandbox account it is
            // the learner's alone while they hold it, so everything in it is looked at, tagged or not.
            var accounts = await db.CloudAccounts.Where(a => studentIds.Contains(a.UserId) && a.Provider == CloudProvider.AwsAccountPool && a.DeletedAtUtc == null).ToListAsync(cancellationToken);
            foreach (var account in accounts)
            {
                foreach (var region in regions)
                {
                    try
                    {
                        var clients = await cloud.PoolClientsAsync(account, region, cancellationToken);
                        var resources = await TaggedResourceScanner.ScanAsync(clients, region, null, null, cancellationToken);
                        found.AddRange(resources.Select(r => ((int?)account.UserId, r)));
                        await AddMembersAsync(clients, resources, liveRuns, liveLedger, members, cancellationToken);
                        scannedUsers.Add(account.UserId);
                    }
                    catch (AmazonServiceException e)
                    {
                        errors.Add($"{students[account.UserId]} ({account.AccountId}, {region}): {e.ErrorCode} {e.Message}");
                    }
                }
            }
        }
        else if (students.Count > 0)
        {
            var learnerTags = students.Keys.Select(id => id.ToString(CultureInfo.InvariantCulture)).ToList();
            foreach (var region in regions)
            {
                try
                {
                    // One shared account: only what carries one of these students' learner tags is theirs to look at.
                    var clients = cloud.SharedAccountClients(region);
                    var resources = await TaggedResourceScanner.ScanAsync(clients, region, TaggedResourceScanner.LearnerTag, learnerTags, cancellationToken);
                    found.AddRange(resources.Select(r => (int.TryParse(r.LearnerTag, CultureInfo.InvariantCulture, out var id) ? (int?)id : null, r)));
                    await AddMembersAsync(clients, resources, liveRuns, liveLedger, members, cancellationToken);
                    scannedUsers.UnionWith(students.Keys);
                }
                catch (AmazonServiceException e)
                {
                    errors.Add($"{region}: {e.ErrorCode} {e.Message}");
                }
            }
        }

        var ledger = await db.Ledger
            .Where(e => studentIds.Contains(e.LabRun.UserId) && e.ResourceId != null)
            .Select(e => new { e.Id, e.LabRunId, e.LabRun.UserId, e.Kind, e.ResourceId, e.Name, e.State })
            .ToListAsync(cancellationToken);
        var inCloud = found.Select(f => f.Resource.ResourceId).ToHashSet(StringComparer.Ordinal);
        var taggedRuns = found.Select(f => RunOf(f.Resource)).OfType<int>().Distinct().ToList();
        var runOwners = await db.LabRuns.Where(r => taggedRuns.Contains(r.Id)).Select(r => new { r.Id, r.UserId, r.Status }).ToDictionaryAsync(r => r.Id, cancellationToken);
        var classStudents = (await db.ClassMemberships.Where(m => m.ClassroomId == classId && m.Role == UserRole.Student).Select(m => m.UserId).ToListAsync(cancellationToken)).ToHashSet();

        // A resource belongs to a live run when that run's ledger holds it, it carries a live run's tag,
        // or it is a member of something a live run owns: never offered. An instance already shutting
        // down is on its way out (a delete was accepted): not offered again.
        var orphans = found
            .Where(f => !liveLedger.Contains(f.Resource.ResourceId) && !members.Contains(f.Resource.ResourceId) && f.Resource.State != "shutting-down"
                && !(RunOf(f.Resource) is { } run && liveRuns.Contains(run)))
            .Select(f =>
            {
                var runId = RunOf(f.Resource) is { } tagged && runOwners.ContainsKey(tagged) ? tagged : (int?)null;
                var reason = runId is not { } id ? OrphanReason.NoRun
                    : !classStudents.Contains(runOwners[id].UserId) ? OrphanReason.LearnerLeft
                    : OrphanReason.RunTornDown;
                return new Orphan(f.UserId, f.UserId is { } user && students.TryGetValue(user, out var name) ? name : "", f.Resource, reason) { RunId = runId };
            })
            .OrderBy(o => o.LearnerName, StringComparer.Ordinal).ThenBy(o => o.Resource.Kind.ToString(), StringComparer.Ordinal).ThenBy(o => o.Resource.ResourceId, StringComparer.Ordinal)
            .ToList();
        var vanished = ledger
            .Where(e => e.State == LedgerState.Created && ScannedKinds.Contains(e.Kind) && scannedUsers.Contains(e.UserId) && !inCloud.Contains(e.ResourceId!))
            .Select(e => new VanishedEntry(e.Id, e.LabRunId, e.UserId, students[e.UserId], e.Kind, e.ResourceId!, e.Name))
            .ToList();
        var runs = await RunsWithResourcesAsync(studentIds, students, orphans, cancellationToken);
        return new OrphanReport(orphans, vanished, errors) { Runs = runs };
    }

    private static int? RunOf(TaggedResource resource) =>
        int.TryParse(resource.RunTag, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    /// <summary>
    /// The members of what live runs own in one scope: the instances of their Auto Scaling groups and
    /// the targets of their target groups (issue 13: never in the ledger by id, yet the run's). A
    /// listener is a member of its load balancer too, but listeners carry no tags and are never scanned.
    /// </summary>
    private static async Task AddMembersAsync(AwsClients clients, List<TaggedResource> resources, HashSet<int> liveRuns, HashSet<string> liveLedger, HashSet<string> members, CancellationToken cancellationToken)
    {
        bool Owned(TaggedResource r) => liveLedger.Contains(r.ResourceId) || (RunOf(r) is { } run && liveRuns.Contains(run));
        var groups = resources.Where(r => r.Kind == ResourceKind.AutoScalingGroup && Owned(r)).Select(r => r.ResourceId).ToList();
        foreach (var chunk in groups.Chunk(50))
        {
            var described = await clients.AutoScaling.DescribeAutoScalingGroupsAsync(new Aws.AutoScaling.DescribeAutoScalingGroupsRequest { AutoScalingGroupNames = [.. chunk] }, cancellationToken);
            members.UnionWith((described.AutoScalingGroups ?? []).SelectMany(g => g.Instances ?? []).Select(i => i.InstanceId).OfType<string>());
        }

        foreach (var targetGroup in resources.Where(r => r.Kind == ResourceKind.TargetGroup && Owned(r)))
        {
            try
            {
                var health = await clients.Elbv2.DescribeTargetHealthAsync(new Aws.Elbv2.DescribeTargetHealthRequest { TargetGroupArn = targetGroup.ResourceId }, cancellationToken);
                members.UnionWith((health.TargetHealthDescriptions ?? []).Select(t => t.Target?.Id).OfType<string>());
            }
            catch (AmazonServiceException e) when (e.ErrorCode == "TargetGroupNotFound")
            {
                // Deleted since the scan: it has no members.
            }
        }
    }

    /// <summary>
    /// Tears one run of this class's students down through the one teardown (<see cref="TeardownScheduler.RequestAsync"/>,
    /// reason <see cref="TeardownReason.Sweeper"/>): audited, verified by the scan, exactly as a reset.
    /// </summary>
    public async Task<(bool Started, string Message)> CleanUpRunAsync(int classId, int actorUserId, int runId, CancellationToken cancellationToken = default)
    {
        var run = await db.LabRuns.SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
        var ofClass = run is not null && await db.ClassMemberships.AnyAsync(m => m.ClassroomId == classId && m.UserId == run.UserId && m.Role == UserRole.Student, cancellationToken);
        if (run is null || !ofClass)
        {
            return (false, L.T($"Run #{runId} is not a run of this class's students.", $"{runId}번 실행은 이 수업 학생의 실행이 아닙니다."));
        }

        if (run.Status == LabRunStatus.TornDown)
        {
            return (false, L.T($"Run #{runId} is already torn down.", $"{runId}번 실행은 이미 정리되었습니다."));
        }

        await teardowns.RequestAsync(run, TeardownReason.Sweeper, classId, actorUserId, cancellationToken);
        return (true, L.T($"Run #{runId} is being torn down; the class dashboard shows how far it got.", $"{runId}번 실행을 정리하는 중입니다. 진행 상황은 수업 대시보드에 나옵니다."));
    }

    /// <summary>The students' runs not torn down that hold resources by the ledger, or that an orphan's run tag names.</summary>
    private async Task<IReadOnlyList<RunWithResources>> RunsWithResourcesAsync(List<int> studentIds, Dictionary<int, string> students, List<Orphan> orphans, CancellationToken cancellationToken)
    {
        var tagged = orphans.Select(o => int.TryParse(o.Resource.RunTag, CultureInfo.InvariantCulture, out var id) ? id : (int?)null).OfType<int>().ToHashSet();
        var runs = await db.LabRuns
            .Where(r => studentIds.Contains(r.UserId) && r.Status != LabRunStatus.TornDown && (tagged.Contains(r.Id) || r.Ledger.Any(e => e.State != LedgerState.Deleted)))
            .OrderBy(r => r.Id)
            .Select(r => new { r.Id, r.UserId, r.LabId, r.Status, Live = r.Ledger.Count(e => e.State != LedgerState.Deleted) })
            .ToListAsync(cancellationToken);
        var ids = runs.Select(r => r.Id).ToList();
        var lastTeardowns = (await db.Audit.Where(a => a.Action == AuditActions.Teardown && a.LabRunId != null && ids.Contains(a.LabRunId.Value))
            .Select(a => new { a.Id, RunId = a.LabRunId!.Value, a.Outcome, a.Detail }).ToListAsync(cancellationToken))
            .GroupBy(a => a.RunId).ToDictionary(g => g.Key, g => g.MaxBy(a => a.Id)!);
        return [.. runs.Select(r => new RunWithResources(r.Id, r.UserId, students[r.UserId], r.LabId, r.Status, r.Live, orphans.Count(o => o.Resource.RunTag == r.Id.ToString(CultureInfo.InvariantCulture)))
        {
            LastFailure = r.Status == LabRunStatus.TearingDown && lastTeardowns.TryGetValue(r.Id, out var last) && last.Outcome == AuditLog.Failed ? last.Detail : null,
        })];
    }

    /// <summary>Deletes one orphan, after finding it again in a fresh scan (so only a real orphan of this class is ever deleted).</summary>
    public async Task<(bool Deleted, string Message)> DeleteAsync(int classId, int actorUserId, int? userId, ResourceKind kind, string resourceId, CancellationToken cancellationToken = default)
    {
        var outcome = (await DeleteManyAsync(classId, actorUserId, [new OrphanKey(userId, kind, resourceId)], cancellationToken)).Single();
        return (outcome.Deleted, outcome.Message);
    }

    /// <summary>
    /// Deletes the chosen orphans (the page's bulk action, after its confirmation names them), each only
    /// if a fresh scan still offers it: a resource that belongs to a live run, or became one's since the
    /// page was drawn, is never deleted. Each deletion is audited; the outcomes come back in order.
    /// </summary>
    public async Task<IReadOnlyList<(OrphanKey Key, bool Deleted, string Message)>> DeleteManyAsync(int classId, int actorUserId, IReadOnlyList<OrphanKey> chosen, CancellationToken cancellationToken = default)
    {
        var outcomes = new List<(OrphanKey, bool, string)>();
        var onlyUser = chosen.Select(c => c.UserId).Distinct().Count() == 1 ? chosen[0].UserId : null;
        var report = await ScanAsync(classId, onlyUser, cancellationToken);
        foreach (var key in chosen)
        {
            var orphan = report.Orphans.FirstOrDefault(o => o.UserId == key.UserId && o.Resource.Kind == key.Kind && o.Resource.ResourceId == key.ResourceId);
            if (orphan is null)
            {
                outcomes.Add((key, false, L.T($"{key.Kind} {key.ResourceId} is not an orphan of this class (any more).", $"{key.Kind} {key.ResourceId}은(는) (더 이상) 이 수업의 고아 리소스가 아닙니다.")));
                continue;
            }

            var (deleted, message) = await DeleteOrphanAsync(classId, actorUserId, orphan, cancellationToken);
            outcomes.Add((key, deleted, message));
        }

        return outcomes;
    }

    private async Task<(bool Deleted, string Message)> DeleteOrphanAsync(int classId, int actorUserId, Orphan orphan, CancellationToken cancellationToken)
    {
        var userId = orphan.UserId;
        var kind = orphan.Resource.Kind;
        var resourceId = orphan.Resource.ResourceId;
        AwsClients clients;
        if (cloud.Mode == CloudMode.Sandbox)
        {
            var account = await db.CloudAccounts.FirstAsync(a => a.UserId == userId && a.Provider == CloudProvider.Sandbox && a.DeletedAtUtc == null, cancellationToken);
            clients = cloud.SandboxClients(account, orphan.Resource.Region);
        }
        else if (cloud.UsesAccountPool)
        {
            var account = await db.CloudAccounts.FirstAsync(a => a.UserId == userId && a.Provider == CloudProvider.AwsAccountPool && a.DeletedAtUtc == null, cancellationToken);
            clients = await cloud.PoolClientsAsync(account, orphan.Resource.Region, cancellationToken);
        }
        else
        {
            clients = cloud.SharedAccountClients(orphan.Resource.Region);
        }

        string outcome;
        string message;
        try
        {
            await ResourceDeleter.DeleteAsync(clients, kind, resourceId, _ => { }, cancellationToken);
            outcome = AuditLog.Succeeded;
            message = $"Deleted {orphan.Resource.Describe}.";
        }
        catch (AmazonServiceException e)
        {
            // e.g. DependencyViolation: what blocks the deletion is in AWS's message.
            outcome = AuditLog.Failed;
            message = $"Could not delete {orphan.Resource.Describe}: {e.ErrorCode}: {e.Message}";
        }

        await audit.WriteAsync(new AuditRecord(AuditActions.OrphanDeleted, outcome, $"{message} Offered because: {orphan.Reason}.")
        {
            ActorUserId = actorUserId,
            ClassroomId = classId,
            SubjectUserId = userId,
            LabRunId = orphan.RunId,
        }, cancellationToken);
        // The audit keeps English; the instructor reads the outcome in their language.
        return (outcome == AuditLog.Succeeded, outcome == AuditLog.Succeeded
            ? L.T(message, $"{orphan.Resource.Describe}을(를) 삭제했습니다.")
            : L.T(message, $"{orphan.Resource.Describe}을(를) 삭제하지 못했습니다. AWS 응답: {message[(message.IndexOf(": ", StringComparison.Ordinal) + 2)..]}"));
    }

    /// <summary>Marks a vanished ledger entry deleted (the cloud already lost it), after finding it vanished in a fresh scan.</summary>
    public async Task<(bool Forgotten, string Message)> ForgetAsync(int classId, int actorUserId, int ledgerEntryId, CancellationToken cancellationToken = default)
    {
        var entry = await db.Ledger.Include(e => e.LabRun).SingleOrDefaultAsync(e => e.Id == ledgerEntryId, cancellationToken);
        if (entry is null)
        {
            return (false, L.T("No such ledger entry.", "그런 장부 항목이 없습니다."));
        }

        var report = await ScanAsync(classId, entry.LabRun.UserId, cancellationToken);
        if (report.Vanished.All(v => v.LedgerEntryId != ledgerEntryId))
        {
            return (false, L.T($"{entry.Kind} {entry.ResourceId} has not vanished from this class's cloud.", $"{entry.Kind} {entry.ResourceId}은(는) 이 수업의 클라우드에 아직 있습니다."));
        }

        entry.State = LedgerState.Deleted;
        entry.DeletedAtUtc = time.GetUtcNow().UtcDateTime;
        var message = $"Ledger entry {entry.Kind} {entry.ResourceId} of run #{entry.LabRunId} marked deleted: the resource no longer exists.";
        await audit.WriteAsync(new AuditRecord(AuditActions.LedgerEntryForgotten, AuditLog.Succeeded, message)
        {
            ActorUserId = actorUserId,
            ClassroomId = classId,
            SubjectUserId = entry.LabRun.UserId,
            LabRunId = entry.LabRunId,
        }, cancellationToken);
        return (true, L.T(message, $"{entry.LabRunId}번 실행의 장부 항목 {entry.Kind} {entry.ResourceId}을(를) 삭제됨으로 표시했습니다. 리소스가 더 이상 없습니다."));
    }
}
