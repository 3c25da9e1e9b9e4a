using Amazon.Runtime;
using Amazon.Runtime.Credentials.Internal;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;

namespace LabPortal.Aws.Core;

/// <summary>
/// The auth-scheme handler of the generated clients: every ELBv2 and Auto Scaling operation is signed
/// with SigV4 (botocore's models say <c>signatureVersion: v4</c> for both), so AWSSDK.Core resolves the
/// credentials (refreshing them when they expire) and its <c>AWS4Signer</c> signs each attempt.
/// </summary>
public sealed class SigV4AuthSchemeHandler : BaseAuthResolverHandler
{
    /// <inheritdoc/>
    protected override List<IAuthSchemeOption> ResolveAuthOptions(IExecutionContext executionContext) => AuthSchemeOption.DEFAULT_SIGV4;
}
