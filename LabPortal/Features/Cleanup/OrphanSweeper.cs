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
/// ledger, for a class's students. On the sandbox it reads each student's own account; on AWS the
/// shared account, filtered by the students' <c>lab-portal:learner</c> tags. It reports resources the
/// ledger does not know (made outside the portal, or left by a crash) and ledger entries whose
/// resource vanished, and deletes or forgets one on an instructor's request (audited). It also lists
/// the class's runs that still hold resources, with "clean up this run": the one teardown use case
/// (<see cref="TeardownScheduler"/>, then <c>RunTeardown</c>), as a reset would.
/// </summary>
public sealed class OrphanSweeper(PortalDbContext db, LearnerCloud cloud, LabCatalog catalog, AuditLog audit, TeardownScheduler teardowns, TimeProvider time)
{
    /// <summary>The kinds the tag scan can see (listeners and rules carry no tags of their own).</summary>
    public static IReadOnlySet<string> ScannedKinds => ResourceKinds.Tagged;

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

        if (cloud.Mode == CloudMode.Sandbox)
        {
            var accounts = await db.CloudAccounts.Where(a => studentIds.Contains(a.UserId) && a.Provider == CloudProvider.Sandbox && a.DeletedAtUtc == null).ToListAsync(cancellationToken);
            foreach (var account in accounts)
            {
                foreach (var region in regions)
                {
                    try
                    {
                        var resources = await TaggedResourceScanner.ScanAsync(cloud.SandboxClients(account, region), region, TaggedResourceScanner.RunTag, null, cancellationToken);
                        found.AddRange(resources.Select(r => ((int?)account.UserId, r)));
                        scannedUsers.Add(account.UserId);
                    }
                    catch (AmazonServiceException e)
                    {
                        errors.Add($"{students[account.UserId]} ({region}): {e.ErrorCode} {e.Message}");
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
                    var resources = await TaggedResourceScanner.ScanAsync(cloud.SharedAccountClients(region), region, TaggedResourceScanner.LearnerTag, learnerTags, cancellationToken);
                    found.AddRange(resources.Select(r => (int.TryParse(r.LearnerTag, CultureInfo.InvariantCulture, out var id) ? (int?)id : null, r)));
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
        var known = ledger.Where(e => e.State != LedgerState.Deleted).Select(e => e.ResourceId!).ToHashSet(StringComparer.Ordinal);
        var inCloud = found.Select(f => f.Resource.ResourceId).ToHashSet(StringComparer.Ordinal);

        // An instance already shutting down is on its way out (a delete was accepted): not offered again.
        var orphans = found
            .Where(f => !known.Contains(f.Resource.ResourceId) && f.Resource.State != "shutting-down")
            .Select(f => new Orphan(f.UserId, f.UserId is { } id && students.TryGetValue(id, out var name) ? name : "", f.Resource))
            .OrderBy(o => o.LearnerName, StringComparer.Ordinal).ThenBy(o => o.Resource.Kind, StringComparer.Ordinal)
            .ToList();
        var vanished = ledger
            .Where(e => e.State == LedgerState.Created && ScannedKinds.Contains(e.Kind) && scannedUsers.Contains(e.UserId) && !inCloud.Contains(e.ResourceId!))
            .Select(e => new VanishedEntry(e.Id, e.LabRunId, e.UserId, students[e.UserId], e.Kind, e.ResourceId!, e.Name))
            .ToList();
        var runs = await RunsWithResourcesAsync(studentIds, students, orphans, cancellationToken);
        return new OrphanReport(orphans, vanished, errors) { Runs = runs };
    }

    /// <summary>
    /// Tears one run of this class's students down through the one teardown (<see cref="TeardownScheduler.RequestAsync"/>,
    /// reason <see cref="TeardownScheduler.SweeperReason"/>): audited, verified by the scan, exactly as a reset.
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

        await teardowns.RequestAsync(run, TeardownScheduler.SweeperReason, classId, actorUserId, cancellationToken);
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
        return [.. runs.Select(r => new RunWithResources(r.Id, r.UserId, students[r.UserId], r.LabId, r.Status, r.Live, orphans.Count(o => o.Resource.RunTag == r.Id.ToString(CultureInfo.InvariantCulture))))];
    }

    /// <summary>Deletes one orphan, after finding it again in a fresh scan (so only a real orphan of this class is ever deleted).</summary>
    public async Task<(bool Deleted, string Message)> DeleteAsync(int classId, int actorUserId, int? userId, string kind, string resourceId, CancellationToken cancellationToken = default)
    {
        var report = await ScanAsync(classId, userId, cancellationToken);
        var orphan = report.Orphans.FirstOrDefault(o => o.UserId == userId && o.Resource.Kind == kind && o.Resource.ResourceId == resourceId);
        if (orphan is null)
        {
            return (false, L.T($"{kind} {resourceId} is not an orphan of this class (any more).", $"{kind} {resourceId}은(는) (더 이상) 이 수업의 고아 리소스가 아닙니다."));
        }

        AwsClients clients;
        if (cloud.Mode == CloudMode.Sandbox)
        {
            var account = await db.CloudAccounts.FirstAsync(a => a.UserId == userId && a.Provider == CloudProvider.Sandbox && a.DeletedAtUtc == null, cancellationToken);
            clients = cloud.SandboxClients(account, orphan.Resource.Region);
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

        await audit.WriteAsync(new AuditRecord(AuditActions.OrphanDeleted, outcome, message)
        {
            ActorUserId = actorUserId,
            ClassroomId = classId,
            SubjectUserId = userId,
            LabRunId = int.TryParse(orphan.Resource.RunTag, CultureInfo.InvariantCulture, out var runId) ? runId : null,
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
