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
}

public enum CloudMode
{
    Sandbox,
    Aws,
}
