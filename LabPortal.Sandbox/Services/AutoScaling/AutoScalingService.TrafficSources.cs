using LabPortal.Sandbox.State;
using LabPortal.Sandbox.Wire;

namespace LabPortal.Sandbox.Services.AutoScaling;

public sealed partial class AutoScalingService
{
    /// <summary>AttachLoadBalancerTargetGroups takes at most 10 ARNs per call (API reference).</summary>
    private const int MaxTargetGroupsPerCall = 10;

    private Task<ApiResult> AttachLoadBalancerTargetGroupsAsync(ApiRequest request, CancellationToken cancellationToken) =>
        AttachAsync(request, ReadTargetGroupArns(request.Parameters), viaTrafficSources: false, cancellationToken);

    private Task<ApiResult> AttachTrafficSourcesAsync(ApiRequest request, CancellationToken cancellationToken) =>
        AttachAsync(request, ReadTrafficSources(request.Parameters, required: true), viaTrafficSources: true, cancellationToken);

    private Task<ApiResult> DetachLoadBalancerTargetGroupsAsync(ApiRequest request, CancellationToken cancellationToken) =>
        DetachAsync(request, ReadTargetGroupArns(request.Parameters), viaTrafficSources: false, cancellationToken);

    private Task<ApiResult> DetachTrafficSourcesAsync(ApiRequest request, CancellationToken cancellationToken) =>
        DetachAsync(request, ReadTrafficSources(request.Parameters, required: true), viaTrafficSources: true, cancellationToken);

    private async Task<ApiResult> AttachAsync(ApiRequest request, IReadOnlyList<string> arns, bool viaTrafficSources, CancellationToken cancellationToken)
    {
        var name = ReadGroupName(request.Parameters);
        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var group = FindGroup(scope.Read<AutoScalingRegionState>(request.Region), name);
        EnsureNotDeleting(group);
        EnsureTargetGroupsExist(scope, request.Region, arns);
        group = scope.Write<AutoScalingRegionState>(request.Region).Groups[name];
        foreach (var arn in arns.Distinct(StringComparer.Ordinal))
        {
            var existing = group.TrafficSources.FirstOrDefault(t => t.Identifier == arn);
            if (existing is not null && existing.State is not ("Removing" or "Removed"))
            {
                // Attaching an attached target group again changes nothing.
                continue;
            }

            if (existing is not null)
            {
                group.TrafficSources.Remove(existing);
            }

            group.TrafficSources.Add(new AsgTrafficSource { Identifier = arn, ViaTrafficSources = viaTrafficSources });

            // AWS registers the group's running instances with a newly attached target group.
            _targetGroups.RegisterAll(scope, request.Region, group, arn);
        }

        WakeAfter(scope);
        return ApiResult.Xml(_ => { });
    }

    private async Task<ApiResult> DetachAsync(ApiRequest request, IReadOnlyList<string> arns, bool viaTrafficSources, CancellationToken cancellationToken)
    {
        var name = ReadGroupName(request.Parameters);
        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var group = FindGroup(scope.Read<AutoScalingRegionState>(request.Region), name);
        group = scope.Write<AutoScalingRegionState>(request.Region).Groups[name];
        foreach (var arn in arns.Distinct(StringComparer.Ordinal))
        {
            // DetachLoadBalancerTargetGroups cannot detach what AttachTrafficSources attached (aws-behaviour.md section 3).
            var source = group.TrafficSources.FirstOrDefault(t => t.Identifier == arn && (viaTrafficSources || !t.ViaTrafficSources));
            if (source is null || source.State is "Removing" or "Removed")
            {
                continue;
            }

            source.State = "Removing";
            _targetGroups.DeregisterAll(scope, request.Region, group, arn);
        }

        WakeAfter(scope);
        return ApiResult.Xml(_ => { });
    }

    private async Task<ApiResult> DescribeLoadBalancerTargetGroupsAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var name = ReadGroupName(request.Parameters);
        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var group = FindGroup(scope.Read<AutoScalingRegionState>(request.Region), name);
        var (page, next) = Paginate(group.TrafficSources.Where(t => t.Type == "elbv2").ToList(), request.Parameters);
        return ApiResult.Xml(w =>
        {
            w.MemberList("LoadBalancerTargetGroups", page, (x, t) => x.Element("LoadBalancerTargetGroupARN", t.Identifier).Element("State", t.State));
            w.Element("NextToken", next);
        });
    }

    private async Task<ApiResult> DescribeTrafficSourcesAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var name = ReadGroupName(request.Parameters);
        var type = request.Parameters.Get("TrafficSourceType");
        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var group = FindGroup(scope.Read<AutoScalingRegionState>(request.Region), name);
        var sources = group.TrafficSources.Where(t => string.IsNullOrEmpty(type) || t.Type == type).ToList();
        var (page, next) = Paginate(sources, request.Parameters, max: 50);
        return ApiResult.Xml(w =>
        {
            w.MemberList("TrafficSources", page, (x, t) => x
                .Element("TrafficSource", t.Identifier)
                .Element("State", t.State)
                .Element("Identifier", t.Identifier)
                .Element("Type", t.Type));
            w.Element("NextToken", next);
        });
    }

    private static List<string> ReadTargetGroupArns(QueryParameters p)
    {
        var arns = p.GetList("TargetGroupARNs").ToList();
        if (arns.Count == 0)
        {
            throw p.Missing("TargetGroupARNs");
        }

        if (arns.Count > MaxTargetGroupsPerCall)
        {
            throw new ApiException("ValidationError", $"1 validation error detected: Value at 'targetGroupARNs' failed to satisfy constraint: Member must have length less than or equal to {MaxTargetGroupsPerCall}");
        }

        return arns;
    }

    /// <summary>TrafficSources.member.N.Identifier/Type; only <c>elbv2</c> target groups exist in the sandbox.</summary>
    private static List<string> ReadTrafficSources(QueryParameters p, bool required = false)
    {
        var sources = p.GetStructs("TrafficSources");
        if (required && sources.Count == 0)
        {
            throw p.Missing("TrafficSources");
        }

        var result = new List<string>();
        foreach (var source in sources)
        {
            var identifier = source.GetRequired("Identifier");
            var type = source.Get("Type") ?? "elbv2";
            if (type != "elbv2")
            {
                throw new ApiException("ValidationError", $"Traffic source type '{QueryParameters.Shorten(type)}' is not supported: this sandbox offers Application Load Balancer target groups (elbv2) only.");
            }

            result.Add(identifier);
        }

        return result;
    }

    /// <summary>
    /// Unknown target groups are refused with AWS's message. Without ELBv2 in this sandbox no target
    /// group exists, so every ARN is unknown.
    /// </summary>
    private void EnsureTargetGroupsExist(AccountScope scope, string region, IEnumerable<string> arns)
    {
        foreach (var arn in arns)
        {
            if (_targetGroups.Membership is not { } membership || !membership.Exists(scope, region, arn))
            {
                throw new ApiException("ValidationError", $"Provided Target Groups may not be valid. Please ensure they exist and try again. Target group not found: {QueryParameters.Shorten(arn)}");
            }
        }
    }
}
