using Amazon.EC2.Model;
using Amazon.Runtime;
using LabPortal.Aws.Elbv2;
using LabPortal.Features.LabRuns.Actions;
using LabPortal.Features.LabRuns.Engine;

namespace LabPortal.Features.LabRuns.Checks;

/// <summary>Reads the checks share. Each goes to the cloud: checks trust its state, not the ledger.</summary>
public static class CloudReads
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) }) { Timeout = TimeSpan.FromSeconds(5) };

    public static async Task<IReadOnlyList<Instance>> InstancesAsync(LabActionContext context, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var response = await context.Cloud.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest { Filters = [CloudSteps.Filter("instance-id", [.. ids])] }, cancellationToken);
        return [.. (response.Reservations ?? []).SelectMany(r => r.Instances ?? [])];
    }

    /// <summary>
    /// The run's security group: the one this run's step created (its id in the run's outputs) and
    /// carrying this run's tag, or null. Never "any group with that name" (issue 13): a group of the
    /// same name left by an earlier run, or made by hand, is not this run's progress.
    /// </summary>
    public static async Task<SecurityGroup?> SecurityGroupAsync(LabActionContext context, CancellationToken cancellationToken)
    {
        if (context.Outputs.SecurityGroupId is not { } groupId)
        {
            return null;
        }

        var response = await context.Cloud.Ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest
        {
            Filters = [CloudSteps.Filter("group-id", groupId), CloudSteps.Filter("tag:lab-portal:run", context.Run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))],
        }, cancellationToken);
        return CloudSteps.FirstOf(response.SecurityGroups);
    }

    public static async Task<LoadBalancer?> LoadBalancerAsync(LabActionContext context, string arn, CancellationToken cancellationToken)
    {
        try
        {
            var response = await context.Cloud.Elbv2.DescribeLoadBalancersAsync(new DescribeLoadBalancersRequest { LoadBalancerArns = [arn] }, cancellationToken);
            return CloudSteps.FirstOf(response.LoadBalancers);
        }
        catch (AmazonServiceException e) when (e.ErrorCode == "LoadBalancerNotFound")
        {
            return null;
        }
    }

    /// <summary>GETs a page through the data plane; null when nothing answered.</summary>
    public static async Task<(int Status, string Body)?> GetPageAsync(Uri url, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (url.Host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
            {
                // Browsers and curl send *.localhost to loopback (RFC 6761 §6.3); glibc's resolver does
                // not, so do what the browser does: connect to 127.0.0.1 and name the host in the header.
                request.RequestUri = new UriBuilder(url) { Host = "127.0.0.1" }.Uri;
                request.Headers.Host = url.IsDefaultPort ? url.Host : $"{url.Host}:{url.Port}";
            }

            using var response = await Http.SendAsync(request, cancellationToken);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    public static string[] InstanceIds(LabActionContext context) =>
        [.. new[] { context.Outputs.Instance1Id, context.Outputs.Instance2Id }.OfType<string>()];
}
