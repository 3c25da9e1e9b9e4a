using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using LabPortal.Aws.Elbv2;
using LabPortal.Features.LabRuns.Checks;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Data;
using LabPortal.Infrastructure.Scopes;
using Microsoft.EntityFrameworkCore;

namespace LabPortal.Features.LivePanel;

/// <summary>
/// One lab run's cloud as the live panel sees it: target health and a few requests to the load
/// balancer per poll, with the latest requests kept between polls.
/// </summary>
public sealed partial class CloudPanelSource(int runId, Scoped<PanelReads> reads, PanelRateLimits limits) : IPanelSource
{
    public const int RequestsPerTick = 2;
    public const int RequestsKept = 40;

    private readonly Lock _gate = new();
    private readonly LinkedList<RequestRow> _requests = new();
    private readonly ConcurrentDictionary<string, (string? Zone, string? Name)> _instances = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _answers = new(StringComparer.Ordinal);
    private IReadOnlyList<TargetRow> _targets = [];

    /// <summary>DescribeTargetHealth calls made so far (for the benchmark and tests: must not grow with watchers).</summary>
    public long HealthCalls { get; private set; }

    public async Task<PanelSnapshot> PollAsync(CancellationToken cancellationToken = default)
    {
        await using var lease = reads.Begin();
        return await PollWithAsync(lease.Service, cancellationToken);
    }

    /// <summary>A short name for the page that answered: its first heading or title, else its first words.</summary>
    public static string PageLabel(string body)
    {
        var heading = HeadingRegex().Match(body);
        var text = heading.Success ? heading.Groups[1].Value : body;
        text = TagRegex().Replace(text, " ");
        text = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return text.Length > 60 ? text[..60] : text;
    }

    /// <summary>
    /// AWS leaves a target's Availability Zone out for instance targets (it is only meaningful for IP
    /// targets), and DescribeTargetHealth names no instance; the zone and the Name tag come from the
    /// instance itself: asked once per new instance, since an instance never changes zone.
    /// </summary>
    private async Task<IReadOnlyList<TargetRow>> WithInstanceDetailsAsync(List<TargetRow> rows, AwsClients clients, CancellationToken cancellationToken)
    {
        var unknown = rows.Where(r => r.Id.StartsWith("i-", StringComparison.Ordinal) && !_instances.ContainsKey(r.Id)).Select(r => r.Id).Distinct().ToList();
        if (unknown.Count > 0)
        {
            try
            {
                var described = await clients.Ec2.DescribeInstancesAsync(new Amazon.EC2.Model.DescribeInstancesRequest { InstanceIds = unknown }, cancellationToken);
                foreach (var instance in (described.Reservations ?? []).SelectMany(r => r.Instances ?? []))
                {
                    if (instance.InstanceId is { } id)
                    {
                        _instances[id] = (instance.Placement?.AvailabilityZone, instance.Tags?.FirstOrDefault(t => t.Key == "Name")?.Value);
                    }
                }
            }
            catch (AmazonServiceException)
            {
                // An instance terminated behind the portal's back: its row shows no zone, the health says the rest.
            }
        }

        return [.. rows.Select(r => _instances.TryGetValue(r.Id, out var known) ? r with { AvailabilityZone = r.AvailabilityZone ?? known.Zone, Name = known.Name } : r)];
    }

    private async Task<PanelSnapshot> PollWithAsync(PanelReads scope, CancellationToken cancellationToken)
    {
        var run = await scope.Db.LabRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
        var lab = scope.Labs.Find(run?.LabId);
        if (run is null || lab is null)
        {
            return PanelSnapshot.Empty("run not found");
        }

        var outputs = RunOutputs.Of(run);
        var cloud = scope.Cloud;
        string? problem = null;
        var groups = new[] { outputs.TargetGroupArn, outputs.ImageTargetGroupArn }.OfType<string>().ToList();
        if (groups.Count > 0)
        {
            try
            {
                var clients = await cloud.ClientsForAsync(run, lab.Region, cancellationToken);
                var rows = new List<TargetRow>();
                foreach (var arn in groups)
                {
                    await limits.WaitAsync(run.CloudAccountId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "shared", cancellationToken);
                    HealthCalls++;
                    rows.AddRange(await DescribeTargetsAsync(clients, arn, cancellationToken));
                }

                _targets = await WithInstanceDetailsAsync(rows, clients, cancellationToken);
            }
            catch (Exception e) when (e is AmazonServiceException or HttpRequestException)
            {
                problem = e.Message;
            }
        }

        var dns = outputs.LoadBalancerDns;
        if (!string.IsNullOrEmpty(dns) && cloud.DataPlaneUrlFor(dns) is { } url)
        {
            // With a path rule in place (Lab 2's challenge), every other request asks for the rule's
            // path, so the panel shows which servers answer which path.
            var rulePath = outputs.ImageRuleArn is not null ? ImageRuleRoutes.ImagePath : "/";
            for (var i = 0; i < RequestsPerTick; i++)
            {
                var path = i % 2 == 0 ? "/" : rulePath;
                var watch = Stopwatch.StartNew();
                var page = await CloudReads.GetPageAsync(new Uri(url, path), cancellationToken);
                Record(new RequestRow(DateTime.UtcNow, page?.Status ?? 0, watch.Elapsed.TotalMilliseconds, page is null ? "-" : PageLabel(page.Value.Body), path));
            }
        }

        lock (_gate)
        {
            return new PanelSnapshot(DateTime.UtcNow, _targets, [.. _requests], new Dictionary<string, int>(_answers), dns, problem);
        }
    }

    /// <summary>The poller's one ELB call: DescribeTargetHealth of one target group, as rows.</summary>
    private static async Task<IEnumerable<TargetRow>> DescribeTargetsAsync(AwsClients clients, string targetGroupArn, CancellationToken cancellationToken)
    {
        var health = await clients.Elbv2.DescribeTargetHealthAsync(new DescribeTargetHealthRequest { TargetGroupArn = targetGroupArn }, cancellationToken);
        var groupName = targetGroupArn.Split('/') is { Length: >= 2 } parts ? parts[^2] : targetGroupArn;
        return (health.TargetHealthDescriptions ?? []).Select(t => new TargetRow(
            groupName, t.Target?.Id ?? "", t.Target?.AvailabilityZone, t.Target?.Port, t.TargetHealth?.State ?? "unknown", t.TargetHealth?.Reason, t.TargetHealth?.Description));
    }

    private void Record(RequestRow row)
    {
        lock (_gate)
        {
            _requests.AddFirst(row);
            while (_requests.Count > RequestsKept)
            {
                _requests.RemoveLast();
            }

            if (row.Status is >= 200 and < 300)
            {
                _answers[row.Page] = _answers.GetValueOrDefault(row.Page) + 1;
            }
        }
    }

    [GeneratedRegex("<(?:h1|title)[^>]*>(.*?)</(?:h1|title)>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex HeadingRegex();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex TagRegex();
}
