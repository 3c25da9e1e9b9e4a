namespace LabPortal.Infrastructure.Cloud;

/// <summary>
/// The keys of a learner's current role session in their pool account (the CLI access page shows them),
/// or, when STS refused the role, that refusal with AWS's error code: the page says it plainly.
/// </summary>
public sealed record PoolSessionKeys(string AccessKeyId, string SecretAccessKey, string SessionToken)
{
    /// <summary>True when STS refused the role (its trust policy, the portal's own permissions); the keys are then empty.</summary>
    public bool Refused { get; init; }

    /// <summary>AWS's error code for the refusal.</summary>
    public string? RefusalCode { get; init; }

    public static PoolSessionKeys RefusedWith(string? code) => new("", "", "") { Refused = true, RefusalCode = code };
}
