using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace LabPortal.Aws.Core;

/// <summary>
/// Credentials from STS <c>AssumeRole</c> through AWSSDK.SecurityToken, renewed by
/// <see cref="RefreshingAWSCredentials"/> before they expire (<see cref="RefreshingAWSCredentials.PreemptExpiryTime"/> is five minutes,
/// <see cref="RefreshingAWSCredentials.ExpirationBuffer"/> one minute, unless <see cref="StsSessionOptions"/> says otherwise).
/// See <see href="https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html">AssumeRole</see>.
/// </summary>
public sealed class StsAssumeRoleCredentials : RefreshingAWSCredentials
{
    private readonly AmazonSecurityTokenServiceClient _sts;
    private readonly string _roleArn;
    private readonly string _sessionName;
    private readonly TimeSpan _duration;
    private readonly StsSessionOptions _session;

    /// <summary>Creates AssumeRole credentials.</summary>
    /// <param name="source">The credentials that call STS.</param>
    /// <param name="roleArn">The role ARN.</param>
    /// <param name="sessionName">The role session name.</param>
    /// <param name="region">The STS region.</param>
    /// <param name="serviceUrl">An STS endpoint override, or null.</param>
    /// <param name="duration">The session duration.</param>
    public StsAssumeRoleCredentials(AWSCredentials source, string roleArn, string sessionName, string region, Uri? serviceUrl, TimeSpan duration)
        : this(source, roleArn, sessionName, region, serviceUrl, duration, new StsSessionOptions())
    {
    }

    /// <summary>Creates AssumeRole credentials with an external id, session tags and how early they are renewed.</summary>
    /// <param name="source">The credentials that call STS.</param>
    /// <param name="roleArn">The role ARN.</param>
    /// <param name="sessionName">The role session name.</param>
    /// <param name="region">The STS region.</param>
    /// <param name="serviceUrl">An STS endpoint override, or null.</param>
    /// <param name="duration">The session duration.</param>
    /// <param name="session">The external id, session tags and renewal margin.</param>
    public StsAssumeRoleCredentials(AWSCredentials source, string roleArn, string sessionName, string region, Uri? serviceUrl, TimeSpan duration, StsSessionOptions session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var config = new AmazonSecurityTokenServiceConfig();
        if (serviceUrl is null)
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region);
        }
        else
        {
            config.ServiceURL = serviceUrl.ToString();
            config.AuthenticationRegion = region;
        }

        _sts = new AmazonSecurityTokenServiceClient(source, config);
        _roleArn = roleArn;
        _sessionName = sessionName;
        _duration = duration;
        _session = session;
        PreemptExpiryTime = session.RefreshBefore;
        ExpirationBuffer = session.ExpiryMargin;
    }

    /// <summary>Calls AssumeRole synchronously (the SDK's synchronous path).</summary>
    /// <returns>The new credentials and their expiry.</returns>
    protected override CredentialsRefreshState GenerateNewCredentials() =>
        GenerateNewCredentialsAsync().GetAwaiter().GetResult();

    /// <summary>Calls AssumeRole.</summary>
    /// <returns>The new credentials and their expiry.</returns>
    protected override async Task<CredentialsRefreshState> GenerateNewCredentialsAsync()
    {
        var response = await _sts.AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = _roleArn,
            RoleSessionName = _sessionName,
            DurationSeconds = (int)_duration.TotalSeconds,
            ExternalId = _session.ExternalId,
            Tags = _session.Tags.Count == 0 ? null : [.. _session.Tags.Select(t => new Tag { Key = t.Key, Value = t.Value })],
        }).ConfigureAwait(false);
        var c = response.Credentials;
        return new CredentialsRefreshState(
            new ImmutableCredentials(c.AccessKeyId, c.SecretAccessKey, c.SessionToken),
            c.Expiration ?? DateTime.UtcNow.Add(_duration));
    }

    /// <summary>Disposes the STS client with the credentials.</summary>
    /// <param name="disposing">True when called from <c>Dispose()</c>.</param>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _sts.Dispose();
        }

        base.Dispose(disposing);
    }
}
