namespace LabPortal.Aws.Core;

/// <summary>The key material SigV4 signs with.</summary>
/// <param name="AccessKey">The access key id.</param>
/// <param name="SecretKey">The secret access key; never logged.</param>
/// <param name="SessionToken">The session token of temporary credentials, or null; never logged.</param>
public sealed record SigV4Credentials(string AccessKey, string SecretKey, string? SessionToken = null)
{
    /// <summary>Hides the secret and the token so a stray log of this record leaks nothing.</summary>
    /// <returns>The access key id only.</returns>
    public override string ToString() => $"SigV4Credentials {{ AccessKey = {AccessKey} }}";
}
