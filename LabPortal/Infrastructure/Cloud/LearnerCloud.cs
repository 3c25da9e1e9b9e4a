using LabPortal.Infrastructure.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LabPortal.Infrastructure.Cloud;

/// <summary>
/// The AWS clients a lab run calls with. On the sandbox every learner gets an account of their own
/// (created on first use, its secret kept encrypted); on AWS every run shares the configured account
/// and keeps apart by name prefix and tags, or, with an account pool, each learner works in a pool account
/// of their own, entered through its role with STS session credentials renewed before they expire.
/// </summary>
public sealed class LearnerCloud(
    PortalDbContext db,
    CloudClientFactory factory,
    IDataProtectionProvider protection,
    IOptions<CloudOptions> options,
    SandboxConnection sandbox,
    IServiceProvider services,
    TimeProvider time)
{
    private IDataProtector Protector => protection.CreateProtector("LabPortal.CloudAccounts.v1");

    public CloudMode Mode => options.Value.Mode;

    /// <summary>True when learners get accounts of an account pool (<c>Cloud:AccountStrategy=AccountPool</c>).</summary>
    public bool UsesAccountPool => options.Value.UsesAccountPool;

    /// <summary>The instance profile launches attach (<c>Cloud:InstanceProfileName</c>), or null for none.</summary>
    public string? InstanceProfileName => options.Value.EffectiveInstanceProfileName;

    /// <summary>The sandbox's API endpoint (sandbox mode only).</summary>
    public Uri SandboxApi => sandbox.Api;

    /// <summary>The port the sandbox's data plane listens on (sandbox mode only): it stands for port 80 of every load balancer and instance.</summary>
    public int SandboxDataPlanePort => sandbox.DataPlanePort;

    /// <summary>
    /// False while the embedded sandbox is still starting (a job picked up at start-up can come before
    /// its servers listen), or for a few seconds after a standalone sandbox did not answer: such a job comes
    /// back shortly instead of failing. Always true on AWS.
    /// </summary>
    public bool IsReady => options.Value.Mode != CloudMode.Sandbox || sandbox.IsListening;

    /// <summary>True when the cloud has a data plane (real traffic and health checks): the sandbox or real AWS, not an emulator URL.</summary>
    public bool HasDataPlane => options.Value.Mode == CloudMode.Sandbox || options.Value.AwsServiceUrl is null;

    /// <summary>
    /// The address a browser would use for a load balancer's or instance's DNS name: the sandbox's
    /// data-plane port on the sandbox, port 80 on AWS; null on an API-only emulator.
    /// </summary>
    public Uri? DataPlaneUrlFor(string hostName) => options.Value.Mode switch
    {
        CloudMode.Sandbox => sandbox.DataPlaneUrlFor(hostName),
        _ when options.Value.AwsServiceUrl is null => new Uri($"http://{hostName}/"),
        _ => null,
    };

    public async Task<AwsClients> ClientsForAsync(LabRun run, string region, CancellationToken cancellationToken = default)
    {
        if (options.Value.UsesAccountPool)
        {
            var pooled = await PoolAccountForAsync(run, cancellationToken);
            return await PoolClientsAsync(pooled, region, cancellationToken);
        }

        if (options.Value.Mode == CloudMode.Aws)
        {
            return SharedAccountClients(region);
        }

        var account = await SandboxAccountForAsync(run, cancellationToken);
        return SandboxClients(account, region);
    }

    /// <summary>With <c>Cloud:Mode=Aws</c>: the clients of the one account every learner shares.</summary>
    public AwsClients SharedAccountClients(string region)
    {
        var aws = options.Value;
        return factory.For(new AwsCredential(region, aws.AwsServiceUrl, aws.AwsAccessKeyId is { Length: > 0 } key ? key : null, aws.AwsSecretAccessKey));
    }

    /// <summary>
    /// With an account pool: the run's pool account (the learner's until a reset returns it). Starting a run assigns
    /// it (the "Start lab" action); a run without one (started before the pool was configured)
    /// is given the learner's held account, or a free one, here.
    /// </summary>
    public async Task<CloudAccount> PoolAccountForAsync(LabRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.CloudAccountId is { } id && await db.CloudAccounts.SingleOrDefaultAsync(a => a.Id == id && a.DeletedAtUtc == null && a.Provider == CloudProvider.AwsAccountPool, cancellationToken) is { } linked)
        {
            return linked;
        }

        var account = await PoolAccountForUserAsync(run.UserId, cancellationToken);
        run.CloudAccountId = account.Id;
        await db.SaveChangesAsync(cancellationToken);
        return account;
    }

    /// <summary>
    /// The pool account the learner holds, else the first free one of <c>Cloud:AccountPool</c> (one learner per
    /// account at a time: a unique index on the live rows' role, so two learners racing for it cannot both win).
    /// </summary>
    /// <exception cref="AccountPoolExhaustedException">Every account serves another learner.</exception>
    public async Task<CloudAccount> PoolAccountForUserAsync(int userId, CancellationToken cancellationToken = default)
    {
        var held = await db.CloudAccounts
            .Where(a => a.UserId == userId && a.Provider == CloudProvider.AwsAccountPool && a.DeletedAtUtc == null)
            .OrderBy(a => a.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (held is not null)
        {
            return held;
        }

        foreach (var role in options.Value.AccountPool)
        {
            var taken = await db.CloudAccounts.AnyAsync(a => a.RoleArn == role.RoleArn && a.DeletedAtUtc == null, cancellationToken);
            if (taken)
            {
                continue;
            }

            var account = new CloudAccount
            {
                UserId = userId,
                Provider = CloudProvider.AwsAccountPool,
                AccountId = role.AccountId ?? "",
                RoleArn = role.RoleArn,
                CreatedAtUtc = time.GetUtcNow().UtcDateTime,
            };
            db.CloudAccounts.Add(account);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return account;
            }
            catch (DbUpdateException)
            {
                // Another learner took this account between the look and the insert: try the next one.
                db.Entry(account).State = EntityState.Detached;
            }
        }

        throw new AccountPoolExhaustedException();
    }

    /// <summary>With an account pool: the account the learner holds (given when a run of theirs started), or null.</summary>
    public Task<CloudAccount?> HeldPoolAccountAsync(int userId, CancellationToken cancellationToken = default) =>
        db.CloudAccounts
            .Where(a => a.UserId == userId && a.Provider == CloudProvider.AwsAccountPool && a.DeletedAtUtc == null)
            .OrderBy(a => a.Id)
            .FirstOrDefaultAsync(cancellationToken);

    /// <summary>
    /// With an account pool: the keys of the learner's current role session in their account (the CLI access page),
    /// the same session the portal's calls for them sign with; temporary, so they carry a session token. A role STS
    /// refuses comes back as <see cref="PoolSessionKeys.Refused"/> (the page shows the code), not as an exception.
    /// </summary>
    public async Task<PoolSessionKeys?> PoolSessionKeysAsync(CloudAccount account, string region, CancellationToken cancellationToken = default)
    {
        try
        {
            var clients = await PoolClientsAsync(account, region, cancellationToken);
            if (clients.OwnedCredentials is not Amazon.Runtime.AWSCredentials session)
            {
                return null;
            }

            var keys = await session.GetCredentialsAsync();
            return new PoolSessionKeys(keys.AccessKey, keys.SecretKey, keys.Token);
        }
        catch (Amazon.Runtime.AmazonServiceException e)
        {
            return PoolSessionKeys.RefusedWith(e.ErrorCode);
        }
    }

    /// <summary>How long an account pool's role sessions last (<c>Cloud:AssumeRoleDuration</c>).</summary>
    public TimeSpan PoolSessionDuration => options.Value.AssumeRoleDuration;

    /// <summary>The endpoint an emulator stands at (<c>Cloud:AwsServiceUrl</c>), or null for AWS's own.</summary>
    public Uri? AwsServiceUrl => options.Value.AwsServiceUrl;

    /// <summary>Returns a learner's pool account to the pool (after a reset has left it empty).</summary>
    public async Task ReleasePoolAccountAsync(CloudAccount account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        account.DeletedAtUtc = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// The clients of a pool account: the portal assumes the account's role with a session named after the learner
    /// and tagged <c>lab-portal:learner</c> and <c>lab-portal:class</c>; the session is cached with the clients and
    /// renewed before it expires.
    /// </summary>
    public async Task<AwsClients> PoolClientsAsync(CloudAccount account, string region, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        var aws = options.Value;
        var role = aws.AccountPool.FirstOrDefault(r => r.RoleArn == account.RoleArn);
        var user = await db.Users.Where(u => u.Id == account.UserId).Select(u => u.UserName).SingleOrDefaultAsync(cancellationToken) ?? "";
        var classId = await db.ClassMemberships.Where(m => m.UserId == account.UserId && m.Role == UserRole.Student).OrderBy(m => m.ClassroomId).Select(m => (int?)m.ClassroomId).FirstOrDefaultAsync(cancellationToken);
        var learner = account.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var assumed = new AssumedRole(
            account.RoleArn ?? "",
            role?.ExternalId,
            SessionName(learner, user),
            new Dictionary<string, string>
            {
                ["lab-portal:learner"] = learner,
                ["lab-portal:class"] = classId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none",
            },
            aws.AssumeRoleDuration,
            aws.AssumeRoleRefreshBefore)
        {
            ExpiryMargin = aws.AssumeRoleExpiryMargin,
        };
        return factory.For(new AwsCredential(region, aws.AwsServiceUrl, aws.AwsAccessKeyId is { Length: > 0 } key ? key : null, aws.AwsSecretAccessKey) { Role = assumed });
    }

    /// <summary>AssumeRole's RoleSessionName from the learner: <c>lab-portal-{id}-{user name}</c>, only <c>[\w+=,.@-]</c>, at most 64 characters.</summary>
    public static string SessionName(string learnerId, string userName)
    {
        var cleaned = new string([.. (userName ?? "").Select(c => char.IsAsciiLetterOrDigit(c) || "_+=,.@-".Contains(c, StringComparison.Ordinal) ? c : '-')]);
        var name = $"lab-portal-{learnerId}-{cleaned}".TrimEnd('-');
        return name.Length <= 64 ? name : name[..64];
    }

    /// <summary>The clients of a learner's sandbox account (cleanup and the orphan sweeper read accounts, not runs).</summary>
    public AwsClients SandboxClients(CloudAccount account, string region)
    {
        return factory.For(new AwsCredential(region, sandbox.Api, account.AccessKeyId!, Protector.Unprotect(account.ProtectedSecretAccessKey!)));
    }

    /// <summary>The learner's sandbox account (one per learner, shared by their runs), created on first use.</summary>
    public async Task<CloudAccount> SandboxAccountForAsync(LabRun run, CancellationToken cancellationToken = default)
    {
        if (run.CloudAccountId is { } id && await db.CloudAccounts.SingleOrDefaultAsync(a => a.Id == id && a.DeletedAtUtc == null, cancellationToken) is { } linked)
        {
            return linked;
        }

        var account = await SandboxAccountForUserAsync(run.UserId, cancellationToken);
        run.CloudAccountId = account.Id;
        await db.SaveChangesAsync(cancellationToken);
        return account;
    }

    public async Task<CloudAccount> SandboxAccountForUserAsync(int userId, CancellationToken cancellationToken = default)
    {
        var account = await db.CloudAccounts
            .Where(a => a.UserId == userId && a.Provider == CloudProvider.Sandbox && a.DeletedAtUtc == null)
            .OrderBy(a => a.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (account is not null)
        {
            return account;
        }

        var created = await sandbox.Accounts.CreateAccountAsync($"user-{userId}", cancellationToken);
        account = new CloudAccount
        {
            UserId = userId,
            Provider = CloudProvider.Sandbox,
            AccountId = created.AccountId,
            AccessKeyId = created.AccessKeyId,
            ProtectedSecretAccessKey = Protector.Protect(created.SecretAccessKey),
            CreatedAtUtc = time.GetUtcNow().UtcDateTime,
        };
        db.CloudAccounts.Add(account);
        await db.SaveChangesAsync(cancellationToken);

        // The class guardrails become the account's quotas before the learner can use its keys.
        await services.GetRequiredService<Guardrails.GuardrailReader>().ApplyToSandboxAsync(account, cancellationToken);
        return account;
    }

    /// <summary>What a learner's sandbox account still owns in every region, as "type id (region)" lines (the verification scan).</summary>
    public async Task<IReadOnlyList<string>> SandboxAccountResourcesAsync(CloudAccount account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        var left = await sandbox.Accounts.ListResourcesAsync(account.AccountId, cancellationToken);
        return [.. left.Select(r => $"{r.ResourceType} {r.ResourceId} ({r.Region})")];
    }

    /// <summary>Drops a learner's sandbox account with everything in it (a reset); false when the sandbox no longer knows it.</summary>
    public Task<bool> DeleteSandboxAccountAsync(CloudAccount account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        return sandbox.Accounts.DeleteAccountAsync(account.AccountId, cancellationToken);
    }

    /// <summary>The keys a learner uses with the AWS CLI against the sandbox (the "CLI access" page).</summary>
    public (string AccessKeyId, string SecretAccessKey) RevealKeys(CloudAccount account) =>
        (account.AccessKeyId ?? "", account.ProtectedSecretAccessKey is { } secret ? Protector.Unprotect(secret) : "");
}
