using System.Net.Http.Headers;
using System.Text;
using LabPortal.Aws.Core;

namespace LabPortal.Infrastructure.Cloud;

/// <summary>
/// Holds each attempt of an AWS SDK call until the account's client-side token bucket
/// (<see cref="AwsRateLimiter"/>, sized to AWS's published buckets) has a token. It sits under the
/// SDK's retry and signing, so every attempt, retries included, is counted; it reads the account,
/// region and service from the SigV4 credential scope and the action from the Query form
/// (<c>Action=</c>) or the JSON target (<c>X-Amz-Target: AmazonSSM.SendCommand</c>). With several
/// nodes (<paramref name="shared"/>: the portal's database is PostgreSQL) the buckets are the shared ones.
/// </summary>
public sealed class RateLimitingHandler(AwsRateLimiter limiter, IAwsCallBudget? shared = null) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // AWSSDK.Core adds the header unvalidated, and the typed Headers.Authorization reads it as null: use the raw value.
        var authorization = request.Headers.TryGetValues("Authorization", out var values) ? values.FirstOrDefault() : null;
        if (Scope(authorization) is var (account, region, service) && await ActionAsync(request, cancellationToken) is { } action)
        {
            if (shared is not null)
            {
                await shared.AcquireAsync(account, region, service, action, cancellationToken);
            }
            else
            {
                await limiter.AcquireAsync(account, region, service, action, cancellationToken);
            }
        }

        return await base.SendAsync(request, cancellationToken);
    }

    /// <summary>Account (access key), region and service of <c>Credential=AKID/date/region/service/aws4_request</c>.</summary>
    public static (string Account, string Region, string Service)? Scope(AuthenticationHeaderValue? authorization) =>
        Scope(authorization is null ? null : $"{authorization.Scheme} {authorization.Parameter}");

    /// <summary>Account (access key), region and service of a raw <c>Authorization</c> header value.</summary>
    public static (string Account, string Region, string Service)? Scope(string? authorization)
    {
        const string marker = "Credential=";
        var parameter = authorization;
        var start = parameter?.IndexOf(marker, StringComparison.Ordinal) ?? -1;
        if (parameter is null || start < 0)
        {
            return null;
        }

        start += marker.Length;
        var end = parameter.IndexOf(',', start);
        var parts = parameter[start..(end < 0 ? parameter.Length : end)].Split('/');
        return parts.Length == 5 ? (parts[0], parts[2], parts[3]) : null;
    }

    private static async Task<string?> ActionAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Headers.TryGetValues("X-Amz-Target", out var targets) && targets.FirstOrDefault() is { } target)
        {
            return target[(target.LastIndexOf('.') + 1)..];
        }

        // The Query protocols' form body is buffered (ByteArrayContent for the generated clients, ReadOnlyMemoryContent
        // for AWSSDK.EC2's pooled marshaller); reading it leaves it intact for sending. A stream body is never read here.
        if (request.Content is (ByteArrayContent or ReadOnlyMemoryContent) and var content && content.Headers.ContentType?.MediaType == "application/x-www-form-urlencoded")
        {
            var form = Encoding.UTF8.GetString(await content.ReadAsByteArrayAsync(cancellationToken));
            foreach (var pair in form.Split('&'))
            {
                if (pair.StartsWith("Action=", StringComparison.Ordinal))
                {
                    return Uri.UnescapeDataString(pair["Action=".Length..]);
                }
            }
        }

        return null;
    }
}
