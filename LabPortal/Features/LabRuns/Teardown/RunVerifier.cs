using System.Globalization;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace LabPortal.Features.LabRuns.Teardown;

/// <summary>
/// The verification scan after a teardown: what of the run is still in the cloud. On the sandbox,
/// when the learner has no other live run, the whole account is listed (anything there is left
/// over, tagged or not); otherwise, and on AWS, the run's resources are found by their
/// <c>lab-portal:run</c> tag. Ledger entries not marked deleted count as remaining too.
/// </summary>
public sealed class RunVerifier(PortalDbContext db, LearnerCloud cloud)
{
    public async Task<IReadOnlyList<string>> RemainingAsync(LabRun run, string region, CancellationToken cancellationToken = default)
    {
        var remaining = new List<string>();
        var ledger = await db.Ledger.Where(e => e.LabRunId == run.Id && e.State != LedgerState.Deleted).ToListAsync(cancellationToken);
        remaining.AddRange(ledger.Select(e => $"ledger: {e.Kind} {e.ResourceId ?? e.Name} ({e.State})"));

        if (cloud.Mode == CloudMode.Sandbox)
        {
            if (run.CloudAccountId is not { } accountRowId || await db.CloudAccounts.SingleOrDefaultAsync(a => a.Id == accountRowId, cancellationToken) is not { } account)
            {
                return remaining;
            }

            var othersLive = await db.LabRuns.AnyAsync(r => r.UserId == run.UserId && r.Id != run.Id && r.CloudAccountId == accountRowId && r.Status != LabRunStatus.TornDown, cancellationToken);
            if (!othersLive || account.DeletedAtUtc is not null)
            {
                remaining.AddRange(await cloud.SandboxAccountResourcesAsync(account, cancellationToken));
                return remaining;
            }

            var scanned = await TaggedResourceScanner.ScanAsync(cloud.SandboxClients(account, region), region, TaggedResourceScanner.RunTag, [RunTag(run)], cancellationToken);
            remaining.AddRange(scanned.Select(r => r.Describe));
            return remaining;
        }

        // An account pool: the run's resources are in the learner's pool account, not the portal's own.
        var clients = cloud.UsesAccountPool ? await cloud.ClientsForAsync(run, region, cancellationToken) : cloud.SharedAccountClients(region);
        var tagged = await TaggedResourceScanner.ScanAsync(clients, region, TaggedResourceScanner.RunTag, [RunTag(run)], cancellationToken);
        remaining.AddRange(tagged.Select(r => r.Describe));
        return remaining;
    }

    private static string RunTag(LabRun run) => run.Id.ToString(CultureInfo.InvariantCulture);
}
