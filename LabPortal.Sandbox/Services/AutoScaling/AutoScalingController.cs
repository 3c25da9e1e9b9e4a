using System.Collections.Concurrent;
using LabPortal.Sandbox.Accounts;
using LabPortal.Sandbox.Core;
using LabPortal.Sandbox.Services.Ec2;
using LabPortal.Sandbox.State;
using Microsoft.Extensions.Logging;

namespace LabPortal.Sandbox.Services.AutoScaling;

/// <summary>
/// Keeps every group at its desired capacity and replaces unhealthy instances (aws-behaviour.md
/// section 3). One background loop reconciles the accounts that own groups every health-check
/// period (10 s of AWS time, scaled), and at once when an API call or an EC2 state change asks for it.
/// Each pass runs under the account's lock, so it sees API calls whole and never half.
/// The pass moves attachments and instances along their lifecycles and replaces unhealthy instances;
/// <see cref="AutoScalingCapacity"/> launches and terminates, <see cref="AutoScalingTargetGroups"/> talks to ELBv2.
/// </summary>
public sealed class AutoScalingController : ISandboxLifecycle, IAccountCleanup, IDisposable
{
    /// <summary>How often AWS looks at its groups; it publishes no figure, 10 s keeps replacements prompt.</summary>
    public static readonly TimeSpan CheckPeriod = TimeSpan.FromSeconds(10);

    private readonly SandboxState _state;
    private readonly SandboxClock _clock;
    private readonly SandboxBackgroundWork _background;
    private readonly IEc2Instances _ec2;
    private readonly AutoScalingCapacity _capacity;
    private readonly AutoScalingTargetGroups _targetGroups;
    private readonly ILogger<AutoScalingController> _logger;
    private readonly ConcurrentDictionary<string, byte> _accounts = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _wake = new(0, 1);
    private IDisposable? _subscription;

    public AutoScalingController(
        SandboxState state,
        SandboxClock clock,
        SandboxBackgroundWork background,
        IEc2Instances ec2,
        AutoScalingCapacity capacity,
        AutoScalingTargetGroups targetGroups,
        ILogger<AutoScalingController> logger)
    {
        _state = state;
        _clock = clock;
        _background = background;
        _ec2 = ec2;
        _capacity = capacity;
        _targetGroups = targetGroups;
        _logger = logger;
    }

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

        changed |= _capacity.Adjust(scope, region, asg, group);
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
                case "Added" when group.UsesElbHealthCheck && _targetGroups.Membership is not null:
                    // InService once an instance passed the target group's health check; with EC2
                    // health checks the attachment stays Added (aws-behaviour.md section 3).
                    if (group.Instances.Any(i => _targetGroups.Health(scope, region, source.Identifier, i.InstanceId)?.State == "healthy"))
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
                    AsgActivities.Complete(asg, instance.ActivityId, now);
                    return true;
                }

                return false;
            case AsgLifecycle.Pending when view?.State == Ec2InstanceState.Running:
                // AWS registers the instance with its target groups before it marks it InService (aws-behaviour.md section 3).
                foreach (var source in AutoScalingTargetGroups.ActiveSources(group))
                {
                    _targetGroups.Register(scope, region, source.Identifier, instance.InstanceId);
                }

                instance.LifecycleState = AsgLifecycle.InService;
                instance.InServiceAt = now;
                AsgActivities.Complete(asg, instance.ActivityId, now);
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

        _capacity.StartTermination(scope, region, asg, group, instance, $"At {AsgActivities.Stamp(now)} {cause}", view, unhealthy: true);
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
        if (!group.UsesElbHealthCheck || _targetGroups.Membership is null || instance.InServiceAt is not { } since
            || now < since + _clock.Scaled(TimeSpan.FromSeconds(group.HealthCheckGracePeriod)))
        {
            return null;
        }

        foreach (var source in group.TrafficSources.Where(s => s.State == "InService"))
        {
            if (_targetGroups.Health(scope, region, source.Identifier, instance.InstanceId)?.State == "unhealthy")
            {
                return "an instance was taken out of service in response to an ELB system health check failure.";
            }
        }

        return null;
    }
}
