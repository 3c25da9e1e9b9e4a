using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Data;
using LabPortal.Sandbox.Accounts;
using Microsoft.EntityFrameworkCore;

namespace LabPortal.Infrastructure.Guardrails;

/// <summary>
/// Reads the guardrails that hold for a learner, and on the sandbox writes them onto the learner's account
/// as its quotas, so a call that bypasses the portal (the AWS CLI with the learner's keys) meets the same
/// limits with AWS's error codes.
/// </summary>
public sealed class GuardrailReader(PortalDbContext db, IServiceProvider services)
{
    public async Task<LearnerGuardrails> ForLearnerAsync(int userId, CancellationToken cancellationToken = default)
    {
        var classes = await db.ClassMemberships.Where(m => m.UserId == userId).Select(m => m.ClassroomId).ToListAsync(cancellationToken);
        if (classes.Count == 0)
        {
            return LearnerGuardrails.Default;
        }

        var set = await db.ClassGuardrails.Where(g => classes.Contains(g.ClassroomId)).ToListAsync(cancellationToken);

        // A class that never saved its guardrails has the defaults.
        var all = classes.Select(id => set.FirstOrDefault(g => g.ClassroomId == id) is { } g ? LearnerGuardrails.From(g) : LearnerGuardrails.Default).ToList();
        return LearnerGuardrails.Strictest(all);
    }

    /// <summary>On the sandbox: the learner's account gets their guardrails as its quotas (written only when they changed).</summary>
    public async Task ApplyToSandboxAsync(CloudAccount account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (account.Provider != CloudProvider.Sandbox || services.GetService<ISandboxAccounts>() is not { } sandbox)
        {
            return;
        }

        var quotas = (await ForLearnerAsync(account.UserId, cancellationToken)).ToSandboxQuotas();
        if (!SameQuotas(await sandbox.FindQuotasAsync(account.AccountId, cancellationToken), quotas))
        {
            await sandbox.SetQuotasAsync(account.AccountId, quotas, cancellationToken);
        }
    }

    /// <summary>Every member of a class whose guardrails changed gets them on their sandbox account at once.</summary>
    public async Task ApplyToClassAsync(int classroomId, CancellationToken cancellationToken = default)
    {
        if (services.GetService<Microsoft.Extensions.Options.IOptions<CloudOptions>>()?.Value.Mode != CloudMode.Sandbox)
        {
            return;
        }

        var members = db.ClassMemberships.Where(m => m.ClassroomId == classroomId).Select(m => m.UserId);
        var accounts = await db.CloudAccounts
            .Where(a => members.Contains(a.UserId) && a.Provider == CloudProvider.Sandbox && a.DeletedAtUtc == null)
            .ToListAsync(cancellationToken);
        foreach (var account in accounts)
        {
            await ApplyToSandboxAsync(account, cancellationToken);
        }
    }

    private static bool SameQuotas(SandboxAccountQuotas? a, SandboxAccountQuotas b) =>
        a is not null
        && a.MaxInstances == b.MaxInstances
        && a.MaxLoadBalancers == b.MaxLoadBalancers
        && (a.AllowedInstanceTypes ?? []).SequenceEqual(b.AllowedInstanceTypes ?? [], StringComparer.Ordinal)
        && (a.AllowedRegions ?? []).SequenceEqual(b.AllowedRegions ?? [], StringComparer.Ordinal);
}
