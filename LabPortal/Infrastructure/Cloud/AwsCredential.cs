using LabPortal.Aws.Core;

namespace LabPortal.Infrastructure.Cloud;

/// <summary>
/// Who calls and where: a learner's sandbox keys, the shared account's keys, or (no keys) the SDK's
/// default credential chain; the region; and the one endpoint for every service (the sandbox or an
/// emulator), or null for AWS's own. The key the client factory caches one set of clients by.
/// </summary>
public sealed record AwsCredential(string Region, Uri? ServiceUrl, string? AccessKeyId, string? SecretAccessKey)
{
    /// <summary>An account pool's role, assumed with these keys (or the default chain) as the source; null for the keys themselves.</summary>
    public AssumedRole? Role { get; init; }

    // A record prints its members; this one holds a secret, so it prints only what identifies it.
    public override string ToString() => $"{AccessKeyId ?? "default-chain"}{(Role is null ? "" : " as " + Role.RoleArn)} in {Region} at {ServiceUrl?.ToString() ?? "AWS"}";
}

/// <summary>A role the portal enters a pool account through (STS AssumeRole), with the learner's session name and tags.</summary>
public sealed record AssumedRole(string RoleArn, string? ExternalId, string SessionName, IReadOnlyDictionary<string, string> Tags, TimeSpan Duration, TimeSpan RefreshBefore)
{
    /// <summary>How long before its <c>Expiration</c> a session counts as expired (<c>Cloud:AssumeRoleExpiryMargin</c>).</summary>
    public TimeSpan ExpiryMargin { get; init; } = StsSessionOptions.DefaultExpiryMargin;
}
