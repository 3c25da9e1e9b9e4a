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

    /// <summary>The AWS SDK's own margin (<see cref="Amazon.Runtime.RefreshingAWSCredentials.ExpirationBuffer"/>): one minute.</summary>
    public static readonly TimeSpan DefaultExpiryMargin = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long before the credentials' expiry the background renewal starts (five minutes by default),
    /// counted from the moment they count as expired (<see cref="ExpiryMargin"/> before <c>Expiration</c>).
    /// </summary>
    public TimeSpan RefreshBefore { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long before their <c>Expiration</c> the credentials count as expired, so the next call waits for new
    /// ones instead of signing with a session about to end (a margin for clock skew and a call in flight; the
    /// SDK's <see cref="Amazon.Runtime.RefreshingAWSCredentials.ExpirationBuffer"/>, one minute by default).
    /// </summary>
    public TimeSpan ExpiryMargin { get; init; } = DefaultExpiryMargin;
}
