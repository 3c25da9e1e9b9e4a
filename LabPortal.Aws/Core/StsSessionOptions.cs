namespace LabPortal.Aws.Core;

/// <summary>
/// What an STS <c>AssumeRole</c> session carries besides the role: the external id the role's trust policy
/// asks for, session tags, and how long before expiry the credentials are renewed.
/// See <see href="https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html">AssumeRole</see>.
/// </summary>
public sealed record StsSessionOptions
{
    /// <summary>The external id (<c>sts:ExternalId</c>), or null.</summary>
    public string? ExternalId { get; init; }

    /// <summary>Session tags (<c>Tags</c>); they need <c>sts:TagSession</c> in the role's trust policy.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>How long before they expire the credentials are renewed (five minutes by default).</summary>
    public TimeSpan RefreshBefore { get; init; } = TimeSpan.FromMinutes(5);
}
