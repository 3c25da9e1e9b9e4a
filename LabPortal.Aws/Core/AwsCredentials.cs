using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace LabPortal.Aws.Core;

/// <summary>The ways LabPortal obtains credentials, all as AWSSDK.Core <see cref="AWSCredentials"/>.</summary>
public static class AwsCredentials
{
    /// <summary>The AWS SDK's default chain: environment, shared profile, container and instance metadata.</summary>
    /// <returns>The resolved credentials.</returns>
    public static AWSCredentials Default() => DefaultAWSCredentialsIdentityResolver.GetCredentials(null);

    /// <summary>Static keys, e.g. a learner's sandbox account.</summary>
    /// <param name="accessKey">The access key id.</param>
    /// <param name="secretKey">The secret access key.</param>
    /// <param name="sessionToken">A session token for temporary keys, or null.</param>
    /// <returns>The credentials.</returns>
    public static AWSCredentials Static(string accessKey, string secretKey, string? sessionToken = null) =>
        sessionToken is null
            ? new BasicAWSCredentials(accessKey, secretKey)
            : new SessionAWSCredentials(accessKey, secretKey, sessionToken);

    /// <summary>
    /// STS AssumeRole credentials for an account pool, refreshed five minutes before they expire.
    /// See <see href="https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html">AssumeRole</see>.
    /// </summary>
    /// <param name="source">The credentials that call STS.</param>
    /// <param name="roleArn">The role to assume in the learner's account.</param>
    /// <param name="sessionName">The role session name (shows up in CloudTrail).</param>
    /// <param name="region">The STS region.</param>
    /// <param name="serviceUrl">An STS endpoint override (moto), or null.</param>
    /// <param name="duration">The session duration (default one hour).</param>
    /// <returns>Refreshing credentials.</returns>
    public static AWSCredentials AssumeRole(AWSCredentials source, string roleArn, string sessionName, string region, Uri? serviceUrl = null, TimeSpan? duration = null) =>
        new StsAssumeRoleCredentials(source, roleArn, sessionName, region, serviceUrl, duration ?? TimeSpan.FromHours(1));
}
