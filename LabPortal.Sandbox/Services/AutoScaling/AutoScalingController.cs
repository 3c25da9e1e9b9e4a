using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using LabPortal.Sandbox.Accounts;
using LabPortal.Sandbox.Services.Ec2;
using LabPortal.Sandbox.Services.Elbv2;
using LabPortal.Sandbox.State;
using LabPortal.Sandbox.Wire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LabPortal.Sandbox.Services.AutoScaling;

/// <summary>
/// Keeps every group at its desired capacity and replaces unhealthy instances (aws-behaviour.md
/// section 3). One background loop reconciles the accounts that own groups every health-check
/// period (10 s of AWS time, scaled), and at once when an API call or an EC2 state change asks for it.
/// Each pass runs under the account's lock, so it sees API calls whole and never half.
/// </summary>
public sealed class AutoScalingController : ISandboxLifecycle, IAccountCleanup, IDisposable
{
    /// <summary>How often AWS looks at its groups; it publishes no figure, 10 s keeps replacements prompt.</summary>
    public static readonly TimeSpan CheckPeriod = TimeSpan.FromSeconds(10);

    /// <summary>The pause after a failed launch before the next attempt.</summary>
    public static readonly TimeSpan LaunchRetryDelay = TimeSpan.FromSeconds(30);

    private readonly SandboxState _state;
    private readonly SandboxClock _clock;
    private readonly SandboxBackgroundWork _background;
    private readonly IEc2Instances _ec2;
    private readonly ITargetGroupMembership? _membership;
    private readonly ILogger<AutoScalingController> _logger;
    private readonly ConcurrentDictionary<string, byte> _accounts = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _wake = new(0, 1);
    private IDisposable? _subscription;

    public AutoScalingController(
        SandboxState state,
        SandboxClock clock,
        SandboxBackgroundWork background,
        IEc2Instances ec2,
        IServiceProvider services,
        ILogger<AutoScalingController> logger)
    {
        _state = state;
        _clock = clock;
        _background = background;
        _ec2 = ec2;
        _logger = logger;

        // ELBv2 lives on another branch until the merge: without it, target groups cannot be attached.
        _membership = services.GetService<ITargetGroupMembership>();
    }

    /// <summary>The ELBv2 side, or null when this sandbox has no ELBv2.</summary>
    public ITargetGroupMembership? Membership => _membership;

    public SandboxClock Clock => _clock;

    /// <summary>Asks for a pass over <paramref name="accountId"/>'s groups soon (call from <see cref="AccountScope.OnReleased"/>).</summary>
    public void Wake(string accountId)
    {
        _accounts[accountId] = 0;
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // A pass is already due.
        }
    }

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        foreach (var accountId in _state.AccountIds)
        {
            await using var scope = await _state.EnterAsync(accountId, cancellationToken);
            if (scope.All<AutoScalingRegionState>().Any(r => r.State.Groups.Count > 0))
            {
                _accounts[accountId] = 0;
            }
        }

        _subscription = _ec2.Subscribe((change, _) =>
        {
            if (_accounts.ContainsKey(change.AccountId))
            {
                Wake(change.AccountId);
            }

            return Task.CompletedTask;
        });
        _background.Run("auto scaling controller", RunAsync);
    }

    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Account deletion: the groups go with the state; only forget the account here (its instances are EC2's to clean up).</summary>
    public Task CleanUpAsync(AccountScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        foreach (var (region, asg) in scope.All<AutoScalingRegionState>())
        {
            asg.Groups.Clear();
            asg.Activities.Clear();
            scope.MarkChanged<AutoScalingRegionState>(region);
        }

        _accounts.TryRemove(scope.AccountId, out _);
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _wake.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (var accountId in _accounts.Keys)
            {
                try
                {
                    await ReconcileAccountAsync(accountId, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
                {
                    _logger.LogError(ex, "Auto Scaling pass over account {AccountId} failed", accountId);
                }
            }

            var period = _clock.Scaled(CheckPeriod);
            await _wake.WaitAsync(period < TimeSpan.FromMilliseconds(10) ? TimeSpan.FromMilliseconds(10) : period, cancellationToken);
        }
    }

    private async Task ReconcileAccountAsync(string accountId, CancellationToken cancellationToken)
    {
        await using var scope = await _state.EnterAsync(accountId, cancellationToken);
        var any = false;
        foreach (var (region, asg) in scope.All<AutoScalingRegionState>())
        {
            var changed = false;
            foreach (var group in asg.Groups.Values.ToList())
            {
                any = true;
                changed |= Reconcile(scope, region, asg, group);
            }

            if (changed)
            {
                scope.MarkChanged<AutoScalingRegionState>(region);
            }
        }

        if (!any)
        {
            // Checked under the lock: a group created later wakes the account again after its own release.
            _accounts.TryRemove(accountId, out _);
        }
    }

    /// <summary>One pass over one group: attachments, lifecycle, health, then capacity. True when anything changed.</summary>
    internal bool Reconcile(AccountScope scope, string region, AutoScalingRegionState asg, AsgGroup group)
    {
        var changed = AdvanceAttachments(scope, region, group);
        foreach (var instance in group.Instances.ToList())
        {
            changed |= AdvanceInstance(scope, region, asg, group, instance);
        }

        changed |= AdjustCapacity(scope, region, asg, group);
        if (group.Deleting && group.Instances.Count == 0)
        {
            asg.Groups.Remove(group.Name);
            foreach (var activity in asg.Activities.Where(a => a.GroupName == group.Name))
            {
                activity.GroupDeleted = true;
            }

            changed = true;
        }

        return changed;
    }

    private bool AdvanceAttachments(AccountScope scope, string region, AsgGroup group)
    {
        var changed = false;
        foreach (var source in group.TrafficSources.ToList())
        {
            switch (source.State)
            {
                case "Removing":
                    // Instances were deregistered when the detach call was made; the attachment goes next.
                    group.TrafficSources.Remove(source);
                    changed = true;
                    break;
                case "Adding":
                    source.State = "Added";
                    changed = true;
                    break;
                case "Added" when group.UsesElbHealthCheck && _membership is not null:
                    // InService once an instance passed the target group's health check; with EC2
                    // health checks the attachment stays Added (aws-behaviour.md section 3).
                    if (group.Instances.Any(i => Health(scope, region, source.Identifier, i.InstanceId)?.State == "healthy"))
                    {
                        source.State = "InService";
                        changed = true;
                    }

                    break;
                default:
                    break;
            }
        }

        return changed;
    }

    private bool AdvanceInstance(AccountScope scope, string region, AutoScalingRegionState asg, AsgGroup group, AsgInstance instance)
    {
        var view = _ec2.FindInstance(scope, region, instance.InstanceId);
        var now = _clock.UtcNow;
        switch (instance.LifecycleState)
        {
            case AsgLifecycle.Terminating:
                if (view is null || view.State == Ec2InstanceState.Terminated)
                {
                    group.Instances.Remove(instance);
                    Complete(asg, instance.ActivityId, now);
                    return true;
                }

                return false;
            case AsgLifecycle.Pending when view?.State == Ec2InstanceState.Running:
                // AWS registers the instance with its target groups before it marks it InService (aws-behaviour.md section 3).
                foreach (var source in ActiveSources(group))
                {
                    Register(scope, region, source.Identifier, instance.InstanceId);
                }

                instance.LifecycleState = AsgLifecycle.InService;
                instance.InServiceAt = now;
                Complete(asg, instance.ActivityId, now);
                instance.ActivityId = null;
                return true;
            default:
                break;
        }

        var cause = UnhealthyCause(scope, region, group, instance, view, now);
        if (cause is null)
        {
            return false;
        }

        StartTermination(scope, region, asg, group, instance, $"At {Stamp(now)} {cause}", view, unhealthy: true);
        return true;
    }

    /// <summary>Why the instance must go, or null while it is healthy (aws-behaviour.md section 3, health checks).</summary>
    private string? UnhealthyCause(AccountScope scope, string region, AsgGroup group, AsgInstance instance, Ec2InstanceView? view, DateTimeOffset now)
    {
        // EC2 health: any state other than running is unhealthy at once, even in the grace period.
        // A pending instance is simply not running yet.
        if (view is null || view.State is Ec2InstanceState.Stopping or Ec2InstanceState.Stopped or Ec2InstanceState.ShuttingDown or Ec2InstanceState.Terminated)
        {
            return "an instance was taken out of service in response to an EC2 health check indicating it has been terminated or stopped.";
        }

        if (instance.LifecycleState != AsgLifecycle.InService)
        {
            return null;
        }

        if (instance.HealthStatus == "Unhealthy")
        {
            return "an instance was taken out of service in response to a user health-check.";
        }

        // ELB health counts only with the ELB type, after the grace period, in attachments that are in service.
        if (!group.UsesElbHealthCheck || _membership is null || instance.InServiceAt is not { } since
            || now < since + _clock.Scaled(TimeSpan.FromSeconds(group.HealthCheckGracePeriod)))
        {
            return null;
        }

        foreach (var source in group.TrafficSources.Where(s => s.State == "InService"))
        {
            if (Health(scope, region, source.Identifier, instance.InstanceId)?.State == "unhealthy")
            {
                return "an instance was taken out of service in response to an ELB system health check failure.";
            }
        }

        return null;
    }

    /// <summary>Launches or terminates so that Pending + InService equals the desired capacity.</summary>
    private bool AdjustCapacity(AccountScope scope, string region, AutoScalingRegionState asg, AsgGroup group)
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
                var cause = Join(group.CapacityCause, $"At {Stamp(now)} an instance was started in response to a difference between desired and actual capacity, increasing the capacity from {from} to {desired}.");
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

                var cause = Join(group.CapacityCause, $"At {Stamp(now)} an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from {from} to {desired}.");
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
            var failed = NewActivity(asg, group, "Launching a new EC2 instance.  Status Reason: " + ex.Message + " Launching EC2 instance failed.", cause, now);
            failed.StatusCode = "Failed";
            failed.StatusMessage = ex.Message.Length <= 255 ? ex.Message : ex.Message[..255];
            failed.Progress = 100;
            failed.EndTime = now;
            failed.Details = DetailsJson(subnetId, zone);
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

        var activity = NewActivity(asg, group, $"Launching a new EC2 instance: {launched.InstanceId}", cause, now);
        activity.StatusCode = "PreInService";
        activity.Progress = 30;
        activity.Details = DetailsJson(launched.SubnetId, launched.AvailabilityZone);
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
    internal AsgActivity StartTermination(AccountScope scope, string region, AutoScalingRegionState asg, AsgGroup group, AsgInstance instance, string cause, Ec2InstanceView? view, bool unhealthy)
    {
        var now = _clock.UtcNow;
        foreach (var source in group.TrafficSources)
        {
            Deregister(scope, region, source.Identifier, instance.InstanceId);
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

        var activity = NewActivity(asg, group, $"Terminating EC2 instance: {instance.InstanceId}", cause, now);
        activity.StatusCode = "InProgress";
        activity.Progress = 50;
        activity.Details = DetailsJson(view?.SubnetId, instance.AvailabilityZone);
        instance.ActivityId = activity.ActivityId;
        if (view is not null && view.State is not (Ec2InstanceState.ShuttingDown or Ec2InstanceState.Terminated))
        {
            _ec2.TerminateInstances(scope, region, [instance.InstanceId]);
        }

        return activity;
    }

    /// <summary>Registers every in-service instance of the group with a newly attached target group.</summary>
    internal void RegisterAll(AccountScope scope, string region, AsgGroup group, string targetGroupArn)
    {
        foreach (var instance in group.Instances.Where(i => i.LifecycleState == AsgLifecycle.InService))
        {
            Register(scope, region, targetGroupArn, instance.InstanceId);
        }
    }

    /// <summary>Deregisters every instance of the group from a detached target group.</summary>
    internal void DeregisterAll(AccountScope scope, string region, AsgGroup group, string targetGroupArn)
    {
        foreach (var instance in group.Instances)
        {
            Deregister(scope, region, targetGroupArn, instance.InstanceId);
        }
    }

    private void Register(AccountScope scope, string region, string targetGroupArn, string instanceId) =>
        CallMembership(scope, region, targetGroupArn, instanceId, m => { m.Register(scope, region, targetGroupArn, instanceId); return true; });

    private void Deregister(AccountScope scope, string region, string targetGroupArn, string instanceId) =>
        CallMembership(scope, region, targetGroupArn, instanceId, m => { m.Deregister(scope, region, targetGroupArn, instanceId); return true; });

    private TargetHealthSnapshot? Health(AccountScope scope, string region, string targetGroupArn, string instanceId) =>
        CallMembership(scope, region, targetGroupArn, instanceId, m => m.Health(scope, region, targetGroupArn, instanceId));

    /// <summary>
    /// Calls ELBv2 unless the target group is gone: a learner may delete an attached target group,
    /// and one failed call must not stop the pass (which would leave the group half-updated).
    /// </summary>
    private T? CallMembership<T>(AccountScope scope, string region, string targetGroupArn, string instanceId, Func<ITargetGroupMembership, T> call)
    {
        try
        {
            return _membership is not null && _membership.Exists(scope, region, targetGroupArn) ? call(_membership) : default;
        }
        catch (ApiException ex)
        {
            _logger.LogWarning(ex, "ELBv2 call for {InstanceId} in {TargetGroup} failed", instanceId, targetGroupArn);
            return default;
        }
    }

    internal static AsgActivity NewActivity(AutoScalingRegionState asg, AsgGroup group, string description, string cause, DateTimeOffset now)
    {
        var activity = new AsgActivity
        {
            ActivityId = Guid.NewGuid().ToString(),
            GroupName = group.Name,
            GroupArn = group.Arn,
            Description = description,
            Cause = cause,
            StartTime = now,
        };
        asg.AddActivity(activity);
        return activity;
    }

    private static void Complete(AutoScalingRegionState asg, string? activityId, DateTimeOffset now)
    {
        var activity = activityId is null ? null : asg.Activities.FirstOrDefault(a => a.ActivityId == activityId);
        if (activity is not null && activity.EndTime is null)
        {
            activity.StatusCode = "Successful";
            activity.Progress = 100;
            activity.EndTime = now;
        }
    }

    private static IEnumerable<AsgTrafficSource> ActiveSources(AsgGroup group) =>
        group.TrafficSources.Where(s => s.State is not ("Removing" or "Removed"));

    internal static bool IsActive(AsgInstance instance) => instance.LifecycleState is AsgLifecycle.Pending or AsgLifecycle.InService;

    /// <summary>The timestamp style of AWS activity causes: <c>2016-09-07T13:42:46Z</c>.</summary>
    internal static string Stamp(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>AWS separates the sentences of a Cause with two spaces.</summary>
    private static string Join(string? first, string second) => first is null ? second : first + "  " + second;

    private static string DetailsJson(string? subnetId, string zone)
    {
        var details = new JsonObject();
        if (subnetId is not null)
        {
            details["Subnet ID"] = subnetId;
        }

        details["Availability Zone"] = zone;
        return details.ToJsonString();
    }
}
