namespace LabPortal.Infrastructure.Cloud;

/// <summary>Section <c>Cloud</c>: where the labs' AWS calls go.</summary>
public sealed class CloudOptions
{
    public const string Section = "Cloud";

    /// <summary><c>Sandbox</c> (default: a sandbox account per learner) or <c>Aws</c> (one shared account, names prefixed per learner).</summary>
    public CloudMode Mode { get; set; } = CloudMode.Sandbox;

    /// <summary>With <c>Aws</c>: one endpoint for every service (moto or another emulator); empty for AWS's own.</summary>
    public Uri? AwsServiceUrl { get; set; }

    /// <summary>With <c>Aws</c>: static keys; empty means AWS's default credential chain.</summary>
    public string? AwsAccessKeyId { get; set; }

    public string? AwsSecretAccessKey { get; set; }

    /// <summary>With <c>Aws</c>: <c>SharedAccount</c> (every learner in the configured account, names prefixed) or <c>AccountPool</c> (an account per learner, entered through a role).</summary>
    public AccountStrategy AccountStrategy { get; set; } = AccountStrategy.SharedAccount;

    /// <summary>With <c>AccountPool</c>: one role per account (<c>Cloud:AccountPool:0:RoleArn</c>, optional <c>:ExternalId</c>).</summary>
    public List<PoolRole> AccountPool { get; set; } = [];

    /// <summary>With <c>AccountPool</c>: how long an AssumeRole session lasts (900 s to 12 h).</summary>
    public TimeSpan AssumeRoleDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>With <c>AccountPool</c>: how long before it expires a session is renewed.</summary>
    public TimeSpan AssumeRoleRefreshBefore { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// With <c>AccountPool</c>: how long before its <c>Expiration</c> a session counts as expired, so no call is
    /// signed with a session about to end (the AWS SDK's default, one minute; a margin for clock skew and a call
    /// in flight). Shorter than <see cref="AssumeRoleDuration"/>, or every call would assume the role again.
    /// </summary>
    public TimeSpan AssumeRoleExpiryMargin { get; set; } = LabPortal.Aws.Core.StsSessionOptions.DefaultExpiryMargin;

    /// <summary>True when learners get pool accounts.</summary>
    public bool UsesAccountPool => Mode == CloudMode.Aws && AccountStrategy == AccountStrategy.AccountPool;

    /// <summary>
    /// The instance profile (with AmazonSSMManagedInstanceCore) the launch template and Lab 1's instances
    /// get, so Systems Manager can run Lab 2's drill on them. Unset: <see cref="SandboxInstanceProfileName"/>
    /// on the sandbox (which accepts any name), none on AWS (the administrator creates it, see the README);
    /// an empty value means none.
    /// </summary>
    public string? InstanceProfileName { get; set; }

    /// <summary>The profile name the sandbox uses when none is configured (the README's AWS commands create the same name).</summary>
    public const string SandboxInstanceProfileName = "LabPortalSsmInstanceProfile";

    /// <summary>The instance profile to attach, or null for none.</summary>
    public string? EffectiveInstanceProfileName => InstanceProfileName switch
    {
        null => Mode == CloudMode.Sandbox ? SandboxInstanceProfileName : null,
        { } name when string.IsNullOrWhiteSpace(name) => null,
        { } name => name.Trim(),
    };
}

public enum CloudMode
{
    Sandbox,
    Aws,
}

public enum AccountStrategy
{
    SharedAccount,
    AccountPool,
}

/// <summary>One account of the pool: the role the portal assumes in it, and the external id its trust policy asks for.</summary>
public sealed partial class PoolRole
{
    public string RoleArn { get; set; } = "";

    public string? ExternalId { get; set; }

    /// <summary>The 12-digit account id in the role ARN, or null when the ARN is not a role ARN.</summary>
    public string? AccountId => RoleArnRegex().Match(RoleArn) is { Success: true } match ? match.Groups["account"].Value : null;

    [System.Text.RegularExpressions.GeneratedRegex(@"^arn:aws[a-z-]*:iam::(?<account>\d{12}):role/[\w+=,.@/-]{1,512}$")]
    private static partial System.Text.RegularExpressions.Regex RoleArnRegex();
}
