using LabPortal.Sandbox.Services.Ec2;
using LabPortal.Sandbox.Wire;

namespace LabPortal.Sandbox.Services.Elbv2;

/// <summary>
/// A target group's targets: RegisterTargets, DeregisterTargets and DescribeTargetHealth.
/// </summary>
public sealed partial class Elbv2Service
{
    private Task<ApiResult> RegisterTargetsAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var arn = request.Parameters.GetRequired("TargetGroupArn");
        var targets = ReadTargets(request.Parameters);
        return MutateAsync(request, (scope, state) =>
        {
            var group = Elbv2TargetGroupMembership.FindGroup(state, arn);
            _membership.RegisterTargets(scope, request.Region, state, group, targets);
            return ApiResult.Xml(_ => { });
        }, cancellationToken);
    }

    private Task<ApiResult> DeregisterTargetsAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var arn = request.Parameters.GetRequired("TargetGroupArn");
        var targets = ReadTargets(request.Parameters);
        return MutateAsync(request, (scope, state) =>
        {
            var group = Elbv2TargetGroupMembership.FindGroup(state, arn);
            var ec2 = scope.Read<Ec2RegionState>(request.Region);
            var unknown = targets.Where(t => !ec2.Instances.ContainsKey(t.Id)).Select(t => t.Id).ToList();
            if (unknown.Count > 0)
            {
                throw new ApiException("InvalidTarget", $"The following targets are not valid instances: {string.Join(", ", unknown.Select(i => $"'{QueryParameters.Shorten(i)}'"))}");
            }

            foreach (var (id, port) in targets)
            {
                foreach (var target in group.Targets.Where(t => t.Id == id && (port is null || t.Port == port) && t.DrainingUntil is null).ToList())
                {
                    _membership.Drain(group, target);
                }
            }

            state.PruneDrained(_clock.UtcNow);
            return ApiResult.Xml(_ => { });
        }, cancellationToken);
    }

    private Task<ApiResult> DescribeTargetHealthAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var arn = request.Parameters.GetRequired("TargetGroupArn");
        var requested = request.Parameters.HasAny("Targets") ? ReadTargets(request.Parameters) : null;
        return ReadAsync(request, (scope, state) =>
        {
            var group = Elbv2TargetGroupMembership.FindGroup(state, arn);
            var rows = new List<(string Id, int Port, TargetHealthSnapshot Health, string? Description)>();
            if (requested is null)
            {
                foreach (var target in group.Targets)
                {
                    // A target whose instance terminated leaves the unfiltered list at once; asked by id it
                    // still reports draining until the deregistration delay ends (verified against AWS, issue 19).
                    if (target.DrainingUntil is not null && _membership.IsGone(scope, request.Region, target.Id))
                    {
                        continue;
                    }

                    var (health, description) = _membership.Evaluate(scope, request.Region, state, group, target);
                    rows.Add((target.Id, target.Port, health, description));
                }
            }
            else
            {
                foreach (var (id, port) in requested)
                {
                    var matches = group.Targets.Where(t => t.Id == id && (port is null || t.Port == port)).ToList();
                    if (matches.Count == 0)
                    {
                        // An unregistered target is reported, not refused, even an id no instance has: AWS
                        // answers unused / Target.NotRegistered with the group's port (issue 19, aws-behaviour.md 1.2).
                        rows.Add((id, port ?? group.Port, new TargetHealthSnapshot("unused", "Target.NotRegistered"), "Target is not registered to the target group"));
                    }

                    foreach (var target in matches)
                    {
                        var (health, description) = _membership.Evaluate(scope, request.Region, state, group, target);
                        rows.Add((target.Id, target.Port, health, description));
                    }
                }
            }

            return ApiResult.Xml(w => w.MemberList("TargetHealthDescriptions", rows, (x, row) =>
            {
                x.Struct("Target", t => t.Element("Id", row.Id).Element("Port", row.Port));
                x.Element("HealthCheckPort", Number(group.HealthCheckPortFor(row.Port)));
                x.Struct("TargetHealth", h => h.Element("State", row.Health.State).Element("Reason", row.Health.Reason).Element("Description", row.Description));
            }));
        }, cancellationToken);
    }

    private static List<(string Id, int? Port)> ReadTargets(QueryParameters p)
    {
        var targets = p.GetStructs("Targets").Select(t => (t.GetRequired("Id"), t.GetInt("Port", 1, 65535))).ToList();
        if (targets.Count == 0)
        {
            throw p.Missing("Targets");
        }

        return targets;
    }
}
