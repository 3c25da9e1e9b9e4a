using System.Globalization;
using System.Text.RegularExpressions;
using LabPortal.Sandbox.Accounts;
using LabPortal.Sandbox.Core;
using LabPortal.Sandbox.Wire;
using Microsoft.Extensions.Options;

namespace LabPortal.Sandbox.Services.Sts;

/// <summary>
/// STS (<c>Version=2011-06-15</c>, Query protocol): <c>AssumeRole</c> into another sandbox account, so a portal
/// with an account pool runs offline against the sandbox. The sandbox has no IAM: a role ARN names an existing
/// sandbox account and any role name in it; any signed caller may assume it (there is no trust policy), and the
/// session works as that account until it expires. Session durations are AWS's, not divided by
/// <c>Sandbox:TimeScale</c>: the SDKs renew credentials a fixed margin before <c>Expiration</c>, which a
/// session of a few seconds would always be within. <c>Sandbox:MaxSessionLifetime</c> shortens every session
/// instead (a test crossing an expiry); a call signed with an expired session is refused as AWS refuses it
/// (EC2 <c>RequestExpired</c>, the Query services <c>ExpiredToken</c>, JSON <c>ExpiredTokenException</c>).
/// See <see href="https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html">AssumeRole</see>.
/// </summary>
public sealed partial class StsService : ApiService
{
    public const string Namespace = "https://sts.amazonaws.com/doc/2011-06-15/";

    private readonly SandboxAccountStore _accounts;
    private readonly TimeSpan? _maxLifetime;

    public StsService(SandboxAccountStore accounts, IOptions<SandboxOptions> options)
        : base("sts", WireProtocol.Query, Namespace, "2011-06-15")
    {
        _accounts = accounts;
        _maxLifetime = options.Value.MaxSessionLifetime;
        Register("AssumeRole", AssumeRoleAsync);
    }

    private Task<ApiResult> AssumeRoleAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var roleArn = p.Get("RoleArn") ?? throw new ApiException("MissingParameter", "The request must contain the parameter RoleArn");
        var sessionName = p.Get("RoleSessionName") ?? throw new ApiException("MissingParameter", "The request must contain the parameter RoleSessionName");
        if (!SessionNameRegex().IsMatch(sessionName))
        {
            throw new ApiException("ValidationError", $"1 validation error detected: Value '{QueryParameters.Shorten(sessionName)}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*");
        }

        var seconds = p.Get("DurationSeconds") is { } given
            ? int.TryParse(given, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : -1
            : 3600;
        if (seconds is < 900 or > 43200)
        {
            throw new ApiException("ValidationError", $"1 validation error detected: Value '{QueryParameters.Shorten(p.Get("DurationSeconds") ?? "")}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900");
        }

        var match = RoleArnRegex().Match(roleArn);
        if (!match.Success)
        {
            throw new ApiException("ValidationError", $"{QueryParameters.Shorten(roleArn)} is invalid");
        }

        var accountId = match.Groups["account"].Value;
        var roleName = match.Groups["name"].Value;
        if (_accounts.FindAccountSync(accountId) is null)
        {
            throw new ApiException("AccessDenied", $"User: arn:aws:iam::{request.AccountId}:root is not authorized to perform: sts:AssumeRole on resource: {QueryParameters.Shorten(roleArn)}", 403);
        }

        var tags = new List<(string Key, string Value)>();
        for (var index = 1; p.Get($"Tags.member.{index}.Key") is { } key; index++)
        {
            tags.Add((key, p.Get($"Tags.member.{index}.Value") ?? ""));
        }

        var lifetime = TimeSpan.FromSeconds(seconds);
        if (_maxLifetime is { } max && max < lifetime)
        {
            lifetime = max;
        }

        var session = _accounts.StartSession(accountId, $"{roleName}/{sessionName}", lifetime);
        var roleId = "AROA" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(roleArn)))[..17];
        return Task.FromResult(ApiResult.Xml(w =>
        {
            w.Struct("Credentials", c => c
                .Element("AccessKeyId", session.AccessKeyId)
                .Element("SecretAccessKey", session.SecretAccessKey)
                .Element("SessionToken", session.SessionToken)
                .Element("Expiration", session.SessionExpiresAt));
            w.Struct("AssumedRoleUser", u => u
                .Element("AssumedRoleId", $"{roleId}:{sessionName}")
                .Element("Arn", $"arn:aws:sts::{accountId}:assumed-role/{roleName}/{sessionName}"));
            if (tags.Count > 0)
            {
                // The share of the packed session policy and tags limit the tags use (an estimate; AWS's packing is not published).
                w.Element("PackedPolicySize", Math.Min(100, tags.Sum(t => t.Key.Length + t.Value.Length) / 4));
            }
        }));
    }

    [GeneratedRegex(@"^[\w+=,.@-]{2,64}$")]
    private static partial Regex SessionNameRegex();

    [GeneratedRegex(@"^arn:aws[a-z-]*:iam::(?<account>\d{12}):role/(?:[\w+=,.@-]+/)*(?<name>[\w+=,.@-]{1,64})$")]
    private static partial Regex RoleArnRegex();
}
