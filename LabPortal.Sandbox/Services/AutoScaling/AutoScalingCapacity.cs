using LabPortal.Sandbox.Core;
using LabPortal.Sandbox.Services.Ec2;
using LabPortal.Sandbox.State;
using LabPortal.Sandbox.Wire;

namespace LabPortal.Sandbox.Services.AutoScaling;

/// <summary>
/// A group's capacity: launches instances (in the zone with the fewest) until Pending + InService
/// equals the desired capacity, and terminates the scale-in victims (or unhealthy instances) above it.
/// </summary>
public sealed class AutoScalingCapacity
{
    /// <summary>The pause after a failed launch before the next attempt.</summary>
    public static readonly TimeSpan LaunchRetryDelay = TimeSpan.FromSeconds(30);

    private readonly SandboxClock _clock;
    private readonly IEc2Instances _ec2;
    private readonly AutoScalingTargetGroups _targetGroups;

    public AutoScalingCapacity(SandboxClock clock, IEc2Instances ec2, AutoScalingTargetGroups targetGroups)
    {
        _clock = clock;
        _ec2 = ec2;
        _targetGroups = targetGroups;
    }

    /// <summary>Launches or terminates so that Pending + InService equals the desired capacity.</summary>
    public bool Adjust(AccountScope scope, string region, AutoScalingRegionState asg, AsgGroup group)
    {
        var now = _clock.UtcNow;
        var active = group.Instances.Where(IsActive).ToList();
        var desired = group.Deleting ? 0 : group.DesiredCapacity;
        var changed = false;
        if (active.Count < desired && (group.LaunchRetryAt is null || now >= group.LaunchRetryAt))
        {
            var from = active.Count;
            for (var count = from; count < desired; count++)
            {
                var cause = AsgActivities.Join(group.CapacityCause, $"At {AsgActivities.Stamp(now)} an instance was started in response to a difference between desired and actual capacity, increasing the capacity from {from} to {desired}.");
                if (!Launch(scope, region, asg, group, cause))
                {
                    break;
                }
            }

            changed = true;
        }
        else if (active.Count > desired)
        {
            var from = active.Count;
            for (var count = from; count > desired; count--)
            {
                var victim = ChooseScaleInVictim(group, ignoreProtection: group.Deleting);
                if (victim is null)
                {
                    // Every active instance is protected from scale-in: AWS leaves the group above its desired capacity.
                    break;
                }

                var cause = AsgActivities.Join(group.CapacityCause, $"At {AsgActivities.Stamp(now)} an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from {from} to {desired}.");
                StartTermination(scope, region, asg, group, victim, cause, _ec2.FindInstance(scope, region, victim.InstanceId), unhealthy: false);
            }

            changed = true;
        }

        if (group.CapacityCause is not null && group.Instances.Count(IsActive) == desired)
        {
            // The user's request is fully served; later replacements have their own causes.
            group.CapacityCause = null;
            changed = true;
        }

        return changed;
    }

    /// <summary>
    /// AWS's default termination policy: first balance the Availability Zones (take from the zone
    /// with the most instances), then oldest launch template, then closest to the next billing hour.
    /// The sandbox applies the first rule; within the zone it takes the instance launched first
    /// (there is no billing hour here and every instance uses the group's one template).
    /// </summary>
    private static AsgInstance? ChooseScaleInVictim(AsgGroup group, bool ignoreProtection)
    {
        // Instances protected from scale-in are never chosen (Auto Scaling user guide, "Use instance scale-in
        // protection"); deleting the group with ForceDelete terminates them all the same.
        var active = group.Instances.Where(i => IsActive(i) && (ignoreProtection || !i.ProtectedFromScaleIn)).ToList();
        if (active.Count == 0)
        {
            return null;
        }

        var zone = active
            .GroupBy(i => i.AvailabilityZone, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count())
            .ThenByDescending(g => group.AvailabilityZones.IndexOf(g.Key))
            .First();
        return zone.OrderBy(i => i.LaunchedAt).ThenBy(i => i.InstanceId, StringComparer.Ordinal).First();
    }

    /// <summary>Launches one instance in the zone with the fewest; false (and a Failed activity) when EC2 refuses.</summary>
    private bool Launch(AccountScope scope, string region, AutoScalingRegionState asg, AsgGroup group, string cause)
    {
        var now = _clock.UtcNow;
        var counts = group.Instances.Where(IsActive).GroupBy(i => i.AvailabilityZone, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var zone = group.AvailabilityZones.OrderBy(z => counts.GetValueOrDefault(z)).ThenBy(z => group.AvailabilityZones.IndexOf(z)).First();
        var subnetId = group.SubnetIds.Count == 0 ? null : SubnetInZone(scope, region, group, zone);
        var tags = group.Tags.Where(t => t.PropagateAtLaunch).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
        var spec = new InstanceLaunchSpec
        {
            LaunchTemplateId = group.LaunchTemplateId,
            LaunchTemplateName = group.LaunchTemplateId is null ? group.LaunchTemplateName : null,
            LaunchTemplateVersion = group.LaunchTemplateVersion,
            SubnetId = subnetId,
            AvailabilityZone = subnetId is null ? zone : null,
            Tags = tags,
        };

        Ec2Reservation reservation;
        try
        {
            reservation = _ec2.RunInstances(scope, region, spec);
        }
        catch (ApiException ex)
        {
            // AWS records the failed launch and tries again later (the activity's StatusMessage says why).
            var failed = AsgActivities.NewActivity(asg, group, "Launching a new EC2 instance.  Status Reason: " + ex.Message + " Launching EC2 instance failed.", cause, now);
            failed.StatusCode = "Failed";
            failed.StatusMessage = ex.Message.Length <= 255 ? ex.Message : ex.Message[..255];
            failed.Progress = 100;
            failed.EndTime = now;
            failed.Details = AsgActivities.DetailsJson(subnetId, zone);
            group.LaunchRetryAt = now + _clock.Scaled(LaunchRetryDelay);
            return false;
        }

        group.LaunchRetryAt = null;
        var launched = reservation.Instances[0];

        // The reserved tag only AWS may write: EC2's public API refuses "aws:" keys, so Auto Scaling sets it as the service does.
        if (scope.Write<Ec2RegionState>(region).Instances.TryGetValue(launched.InstanceId, out var ec2Instance))
        {
            ec2Instance.Tags["aws:autoscaling:groupName"] = group.Name;
        }

        var activity = AsgActivities.NewActivity(asg, group, $"Launching a new EC2 instance: {launched.InstanceId}", cause, now);
        activity.StatusCode = "PreInService";
        activity.Progress = 30;
        activity.Details = AsgActivities.DetailsJson(launched.SubnetId, launched.AvailabilityZone);
        group.Instances.Add(new AsgInstance
        {
            InstanceId = launched.InstanceId,
            InstanceType = launched.InstanceType,
            ImageId = launched.ImageId,
            AvailabilityZone = launched.AvailabilityZone,
            LaunchTemplateId = group.LaunchTemplateId ?? launched.LaunchTemplateId,
            LaunchTemplateName = group.LaunchTemplateName,
            LaunchTemplateVersion = group.LaunchTemplateVersion,
            LaunchedAt = now,
            ActivityId = activity.ActivityId,
            ProtectedFromScaleIn = group.NewInstancesProtectedFromScaleIn,
        });
        return true;
    }

    private static string? SubnetInZone(AccountScope scope, string region, AsgGroup group, string zone)
    {
        var subnets = scope.Read<Ec2RegionState>(region).Subnets;
        return group.SubnetIds.FirstOrDefault(id => subnets.TryGetValue(id, out var s) && s.AvailabilityZone == zone);
    }

    /// <summary>
    /// Takes the instance out of service: deregisters it from the group's target groups, asks EC2 to
    /// terminate it and records the activity ("Terminating EC2 instance: i-..."), completed once EC2
    /// reports it terminated. Health replacements terminate first, then launch (aws-behaviour.md section 3).
    /// </summary>
    public AsgActivity StartTermination(AccountScope scope, string region, AutoScalingRegionState asg, AsgGroup group, AsgInstance instance, string cause, Ec2InstanceView? view, bool unhealthy)
    {
        var now = _clock.UtcNow;
        foreach (var source in group.TrafficSources)
        {
            _targetGroups.Deregister(scope, region, source.Identifier, instance.InstanceId);
        }

        if (unhealthy)
        {
            instance.HealthStatus = "Unhealthy";
        }

        instance.LifecycleState = AsgLifecycle.Terminating;
        if (instance.ActivityId is { } launchActivity)
        {
            // A launch that never reached InService ends here.
            var launch = asg.Activities.FirstOrDefault(a => a.ActivityId == launchActivity);
            if (launch is not null && launch.EndTime is null)
            {
                launch.StatusCode = "Cancelled";
                launch.Progress = 100;
                launch.EndTime = now;
            }
        }

        var activity = AsgActivities.NewActivity(asg, group, $"Terminating EC2 instance: {instance.InstanceId}", cause, now);
        activity.StatusCode = "InProgress";
        activity.Progress = 50;
        activity.Details = AsgActivities.DetailsJson(view?.SubnetId, instance.AvailabilityZone);
        instance.ActivityId = activity.ActivityId;
        if (view is not null && view.State is not (Ec2InstanceState.ShuttingDown or Ec2InstanceState.Terminated))
        {
            _ec2.TerminateInstances(scope, region, [instance.InstanceId]);
        }

        return activity;
    }

    public static bool IsActive(AsgInstance instance) => instance.LifecycleState is AsgLifecycle.Pending or AsgLifecycle.InService;
}
