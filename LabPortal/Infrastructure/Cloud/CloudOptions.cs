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
