namespace LabPortal.Features.LivePanel;

/// <summary>What the live panel shows at one moment: the targets' health and the latest requests to the load balancer.</summary>
public sealed record PanelSnapshot(
    DateTime TakenAtUtc,
    IReadOnlyList<TargetRow> Targets,
    IReadOnlyList<RequestRow> Requests,
    IReadOnlyDictionary<string, int> AnswersByPage,
    string? LoadBalancerDns,
    string? Problem)
{
    public static PanelSnapshot Empty(string? problem = null) => new(DateTime.UtcNow, [], [], new Dictionary<string, int>(), null, problem);
}

/// <summary>One registered target as DescribeTargetHealth reports it, with the instance's Name tag when it has one.</summary>
public sealed record TargetRow(string TargetGroup, string Id, string? AvailabilityZone, int? Port, string State, string? Reason, string? Description, string? Name = null);

/// <summary>One request the panel sent to the load balancer: the path, status (0 when nothing answered), latency, and which page answered.</summary>
public sealed record RequestRow(DateTime AtUtc, int Status, double LatencyMs, string Page, string Path = "/");
