using LabPortal.Sandbox.Wire;

namespace LabPortal.Sandbox.Services.AutoScaling;

public sealed partial class AutoScalingService
{
    private async Task<ApiResult> DescribeAutoScalingInstancesAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var ids = request.Parameters.GetList("InstanceIds");
        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var asg = scope.Find<AutoScalingRegionState>(request.Region);
        var rows = (asg?.Groups.Values ?? Enumerable.Empty<AsgGroup>())
            .SelectMany(g => g.Instances.Select(i => (Group: g, Instance: i)))
            .Where(r => ids.Count == 0 || ids.Contains(r.Instance.InstanceId, StringComparer.Ordinal))
            .OrderBy(r => r.Instance.InstanceId, StringComparer.Ordinal)
            .ToList();
        var (page, next) = Paginate(rows, request.Parameters, max: 50);
        return ApiResult.Xml(w =>
        {
            w.MemberList("AutoScalingInstances", page, (x, r) =>
            {
                // DescribeAutoScalingInstances spells health in capitals, DescribeAutoScalingGroups does not (aws-behaviour.md section 3).
                x.Element("InstanceId", r.Instance.InstanceId)
                    .Element("InstanceType", r.Instance.InstanceType)
                    .Element("AutoScalingGroupName", r.Group.Name)
                    .Element("AvailabilityZone", r.Instance.AvailabilityZone)
                    .Element("LifecycleState", r.Instance.LifecycleState)
                    .Element("HealthStatus", r.Instance.HealthStatus.ToUpperInvariant());
                WriteLaunchTemplate(x, r.Instance.LaunchTemplateId, r.Instance.LaunchTemplateName, r.Instance.LaunchTemplateVersion);
                x.Element("ProtectedFromScaleIn", r.Instance.ProtectedFromScaleIn);
            });
            w.Element("NextToken", next);
        });
    }

    private async Task<ApiResult> SetInstanceHealthAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var instanceId = p.GetRequired("InstanceId");
        var health = p.GetRequired("HealthStatus");
        var respectGrace = p.GetBool("ShouldRespectGracePeriod") ?? true;
        if (health is not ("Healthy" or "Unhealthy"))
        {
            throw new ApiException("ValidationError", $"Valid values for HealthStatus are Healthy and Unhealthy, not '{QueryParameters.Shorten(health)}'.");
        }

        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var (_, instance) = FindManagedInstance(scope.Read<AutoScalingRegionState>(request.Region), instanceId);
        var (group, _) = FindManagedInstance(scope.Write<AutoScalingRegionState>(request.Region), instanceId);
        var inGrace = instance.InServiceAt is not { } since
            || Now < since + _clock.Scaled(TimeSpan.FromSeconds(group.HealthCheckGracePeriod));

        // ShouldRespectGracePeriod (default true): an Unhealthy report during the grace period is ignored.
        if (instance.LifecycleState == AsgLifecycle.InService && !(health == "Unhealthy" && respectGrace && inGrace))
        {
            instance.HealthStatus = health;
        }

        WakeAfter(scope);
        return ApiResult.Xml(null);
    }

    private async Task<ApiResult> TerminateInstanceInAutoScalingGroupAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var instanceId = p.GetRequired("InstanceId");
        if (!p.Has("ShouldDecrementDesiredCapacity"))
        {
            throw p.Missing("ShouldDecrementDesiredCapacity");
        }

        var decrement = p.GetBool("ShouldDecrementDesiredCapacity")!.Value;
        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var asg = scope.Read<AutoScalingRegionState>(request.Region);
        var (group, instance) = FindManagedInstance(asg, instanceId);
        if (instance.LifecycleState == AsgLifecycle.Terminating)
        {
            throw new ApiException("ScalingActivityInProgress", $"Instance {instanceId} is already being terminated.");
        }

        if (decrement && group.DesiredCapacity <= group.MinSize)
        {
            throw new ApiException("ValidationError", $"Currently, desiredSize equals minSize ({group.MinSize}). Terminating instance without replacement will violate group's min size constraint. Either set shouldDecrementDesiredCapacity flag to false or lower group's min size.");
        }

        asg = scope.Write<AutoScalingRegionState>(request.Region);
        var stamp = AsgActivities.Stamp(Now);
        string cause;
        if (decrement)
        {
            cause = $"At {stamp} instance {instanceId} was taken out of service in response to a user request, shrinking the capacity from {group.DesiredCapacity} to {group.DesiredCapacity - 1}.";
            group.DesiredCapacity--;
        }
        else
        {
            cause = $"At {stamp} instance {instanceId} was taken out of service in response to a user request.";
        }

        var activity = _capacity.StartTermination(scope, request.Region, asg, group, instance, cause, _ec2.FindInstance(scope, request.Region, instanceId), unhealthy: false);
        WakeAfter(scope);
        return ApiResult.Xml(w => w.Struct("Activity", x => WriteActivity(x, activity, withGroupState: false)));
    }

    private async Task<ApiResult> DescribeScalingActivitiesAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var ids = p.GetList("ActivityIds");
        var name = p.Get("AutoScalingGroupName");
        var includeDeleted = p.GetBool("IncludeDeletedGroups") ?? false;
        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var asg = scope.Find<AutoScalingRegionState>(request.Region);
        var activities = (asg?.Activities ?? [])
            .Where(a => includeDeleted || !a.GroupDeleted)
            .Where(a => string.IsNullOrEmpty(name) || a.GroupName == name)
            .Where(a => ids.Count == 0 || ids.Contains(a.ActivityId, StringComparer.Ordinal))
            .Reverse()
            .ToList();
        var (page, next) = Paginate(activities, p);
        return ApiResult.Xml(w =>
        {
            w.MemberList("Activities", page, (x, a) => WriteActivity(x, a, includeDeleted));
            w.Element("NextToken", next);
        });
    }

    private static (AsgGroup Group, AsgInstance Instance) FindManagedInstance(AutoScalingRegionState asg, string instanceId)
    {
        foreach (var group in asg.Groups.Values)
        {
            var instance = group.Instances.FirstOrDefault(i => i.InstanceId == instanceId);
            if (instance is not null)
            {
                return (group, instance);
            }
        }

        throw new ApiException("ValidationError", $"Instance Id not found - No managed instance found for instance id: {QueryParameters.Shorten(instanceId)}");
    }
}
