namespace LabPortal.Aws.Core;

/// <summary>The output of <see cref="SigV4Signer.Sign"/>: every intermediate value plus the headers to send.</summary>
/// <param name="CanonicalRequest">The canonical request.</param>
/// <param name="StringToSign">The string to sign.</param>
/// <param name="Signature">The hex signature.</param>
/// <param name="Authorization">The Authorization header value.</param>
/// <param name="Headers">The request headers plus <c>X-Amz-Date</c>, <c>X-Amz-Security-Token</c> and <c>Authorization</c>.</param>
public sealed record SigV4Result(
    string CanonicalRequest,
    string StringToSign,
    string Signature,
    string Authorization,
    IReadOnlyList<KeyValuePair<string, string>> Headers);
