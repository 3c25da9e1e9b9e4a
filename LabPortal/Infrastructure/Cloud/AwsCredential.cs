namespace LabPortal.Infrastructure.Cloud;

/// <summary>
/// Who calls and where: a learner's sandbox keys, the shared account's keys, or (no keys) the SDK's
/// default credential chain; the region; and the one endpoint for every service (the sandbox or an
/// emulator), or null for AWS's own. The key the client factory caches one set of clients by.
/// </summary>
public sealed record AwsCredential(string Region, Uri? ServiceUrl, string? AccessKeyId, string? SecretAccessKey)
{
    // A record prints its members; this one holds a secret, so it prints only what identifies it.
    public override string ToString() => $"{AccessKeyId ?? "default-chain"} in {Region} at {ServiceUrl?.ToString() ?? "AWS"}";
}
