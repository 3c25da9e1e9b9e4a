using System.Text;
using LabPortal.Sandbox.Core;
using LabPortal.Sandbox.Runtime.Guest;
using LabPortal.Sandbox.State;
using LabPortal.Sandbox.Wire;

namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>
/// Instance state transitions: stop, start and terminate requests, and the timers that finish them
/// after AWS's (scaled) delays: pending to running once the machine booted, stopping to stopped,
/// shutting-down to terminated, and terminated instances leaving Describe calls.
/// </summary>
public sealed class Ec2InstanceTransitions
{
    private readonly SandboxState _state;
    private readonly SandboxClock _clock;
    private readonly SandboxBackgroundWork _background;
    private readonly Ec2InstanceEvents _events;
    private readonly Ec2InstanceAddresses _addresses;
    private readonly Ec2InstanceMachines _machines;

    public Ec2InstanceTransitions(SandboxState state, SandboxClock clock, SandboxBackgroundWork background, Ec2InstanceEvents events, Ec2InstanceAddresses addresses, Ec2InstanceMachines machines)
    {
        _state = state;
        _clock = clock;
        _background = background;
        _events = events;
        _addresses = addresses;
        _machines = machines;
    }

    public IReadOnlyList<Ec2StateChange> TerminateInstances(AccountScope scope, string region, IReadOnlyCollection<string> instanceIds)
    {
        var instances = Ec2InstanceLookup.Lookup(scope, region, instanceIds);
        scope.MarkChanged<Ec2RegionState>(region);
        var changes = new List<Ec2StateChange>();
        foreach (var instance in instances)
        {
            var previous = instance.State;
            if (previous is not (Ec2InstanceState.ShuttingDown or Ec2InstanceState.Terminated))
            {
                instance.State = Ec2InstanceState.ShuttingDown;
                MarkUserInitiatedShutdown(instance);
                _addresses.ReleasePublicIp(instance);
                _events.Raise(scope, region, instance, previous);
                ScheduleTerminate(scope, region, instance.InstanceId);
            }

            changes.Add(new Ec2StateChange(instance.InstanceId, previous, instance.State));
        }

        return changes;
    }

    public IReadOnlyList<Ec2StateChange> StopInstances(AccountScope scope, string region, IReadOnlyCollection<string> instanceIds)
    {
        var instances = Ec2InstanceLookup.Lookup(scope, region, instanceIds);
        foreach (var instance in instances)
        {
            if (instance.State is Ec2InstanceState.Pending or Ec2InstanceState.ShuttingDown or Ec2InstanceState.Terminated)
            {
                throw new ApiException("IncorrectInstanceState", $"This instance '{instance.InstanceId}' is not in a state from which it can be stopped.");
            }
        }

        scope.MarkChanged<Ec2RegionState>(region);
        var changes = new List<Ec2StateChange>();
        foreach (var instance in instances)
        {
            var previous = instance.State;
            if (previous == Ec2InstanceState.Running)
            {
                instance.State = Ec2InstanceState.Stopping;
                MarkUserInitiatedShutdown(instance);
                _events.Raise(scope, region, instance, previous);
                ScheduleStop(scope, region, instance.InstanceId);
            }

            changes.Add(new Ec2StateChange(instance.InstanceId, previous, instance.State));
        }

        return changes;
    }

    public IReadOnlyList<Ec2StateChange> StartInstances(AccountScope scope, string region, IReadOnlyCollection<string> instanceIds)
    {
        var instances = Ec2InstanceLookup.Lookup(scope, region, instanceIds);
        foreach (var instance in instances)
        {
            if (instance.State is Ec2InstanceState.Stopping or Ec2InstanceState.ShuttingDown or Ec2InstanceState.Terminated)
            {
                throw new ApiException("IncorrectInstanceState", $"The instance '{instance.InstanceId}' is not in a state from which it can be started.");
            }
        }

        scope.MarkChanged<Ec2RegionState>(region);
        var changes = new List<Ec2StateChange>();
        foreach (var instance in instances)
        {
            var previous = instance.State;
            if (previous == Ec2InstanceState.Stopped)
            {
                instance.State = Ec2InstanceState.Pending;
                instance.StateTransitionReason = string.Empty;
                instance.StateReasonCode = null;
                instance.StateReasonMessage = null;

                // A stopped instance gets a new public address when it starts again (EC2 user guide, "Public IPv4 addresses").
                if (instance.AssociatePublicIp)
                {
                    instance.PublicIpAddress = _addresses.AllocatePublicIp(scope.AccountId, region, instance.InstanceId);
                }

                _events.Raise(scope, region, instance, previous);
                ScheduleBoot(scope, region, instance.InstanceId, Ec2InstanceState.Pending);
            }

            changes.Add(new Ec2StateChange(instance.InstanceId, previous, instance.State));
        }

        return changes;
    }

    /// <summary>The reason EC2 gives for a stop or terminate the user asked for.</summary>
    private void MarkUserInitiatedShutdown(Ec2Instance instance)
    {
        instance.StateTransitionReason = $"User initiated ({XmlWriterExtensions.FormatTimestamp(_clock.UtcNow)[..19].Replace('T', ' ')} GMT)";
        instance.StateReasonCode = "Client.UserInitiatedShutdown";
        instance.StateReasonMessage = "Client.UserInitiatedShutdown: User initiated shutdown";
    }

    /// <summary>Terminated instances disappear from Describe calls about an hour later (scaled).</summary>
    internal void PurgeExpired(AccountScope scope, string region)
    {
        var ec2 = scope.Find<Ec2RegionState>(region);
        if (ec2 is null)
        {
            return;
        }

        var cutoff = _clock.UtcNow - _clock.Scaled(Ec2Timings.TerminatedVisibility);
        var expired = ec2.Instances.Values.Where(i => i.State == Ec2InstanceState.Terminated && i.TerminatedAt < cutoff).Select(i => i.InstanceId).ToList();
        if (expired.Count == 0)
        {
            return;
        }

        foreach (var id in expired)
        {
            ec2.Instances.Remove(id);
        }

        scope.MarkChanged<Ec2RegionState>(region);
    }

    /// <summary>
    /// Boots the instance's machine once <paramref name="scope"/> is released: after the boot delay
    /// when it is <see cref="Ec2InstanceState.Pending"/> (then it turns running), at once when it was
    /// already running before a restart.
    /// </summary>
    internal void ScheduleBoot(AccountScope scope, string region, string instanceId, Ec2InstanceState expected)
    {
        var accountId = scope.AccountId;
        var runtime = _machines.Track(accountId, region, instanceId);
        scope.OnReleased(() => _background.Run($"boot {instanceId}", ct => BootAsync(accountId, region, instanceId, runtime, expected, delay: expected == Ec2InstanceState.Pending, ct)));
    }

    internal void ScheduleStop(AccountScope scope, string region, string instanceId)
    {
        var accountId = scope.AccountId;
        scope.OnReleased(() => _background.Run($"stop {instanceId}", ct => StopAsync(accountId, region, instanceId, ct)));
    }

    internal void ScheduleTerminate(AccountScope scope, string region, string instanceId)
    {
        var accountId = scope.AccountId;
        scope.OnReleased(() => _background.Run($"terminate {instanceId}", ct => TerminateAsync(accountId, region, instanceId, ct)));
    }

    private async Task BootAsync(string accountId, string region, string instanceId, Ec2InstanceMachines.InstanceRuntime runtime, Ec2InstanceState expected, bool delay, CancellationToken cancellationToken)
    {
        if (delay)
        {
            await _clock.DelayAsync(Ec2Timings.Boot, cancellationToken);
        }

        InstanceMetadata metadata;
        string? userData;
        bool firstBoot;
        MachineState? restored;
        await using (var scope = await _state.EnterAsync(accountId, cancellationToken))
        {
            var instance = scope.Find<Ec2RegionState>(region)?.Instances.GetValueOrDefault(instanceId);
            if (instance is null || instance.State != expected)
            {
                return;
            }

            metadata = MetadataOf(instance, region);
            userData = DecodeUserData(instance.UserData);
            firstBoot = !instance.FirstBootDone;
            restored = instance.Machine;
        }

        var (gone, snapshot) = await _machines.BootAsync(runtime, metadata, userData, firstBoot, restored, cancellationToken);
        if (gone)
        {
            return;
        }

        await using (var scope = await _state.EnterAsync(accountId, cancellationToken))
        {
            var instance = scope.Find<Ec2RegionState>(region)?.Instances.GetValueOrDefault(instanceId);
            if (instance is null || instance.State != expected)
            {
                return;
            }

            instance.FirstBootDone = true;
            instance.Machine = snapshot ?? instance.Machine;
            if (expected == Ec2InstanceState.Pending)
            {
                instance.State = Ec2InstanceState.Running;
                instance.RunningSince = _clock.UtcNow;
                _events.Raise(scope, region, instance, Ec2InstanceState.Pending);
            }

            scope.MarkChanged<Ec2RegionState>(region);
        }
    }

    private async Task StopAsync(string accountId, string region, string instanceId, CancellationToken cancellationToken)
    {
        await _clock.DelayAsync(Ec2Timings.Stop, cancellationToken);
        var snapshot = await _machines.ShutdownAsync(instanceId, dispose: false, cancellationToken);
        await using var scope = await _state.EnterAsync(accountId, cancellationToken);
        var instance = scope.Find<Ec2RegionState>(region)?.Instances.GetValueOrDefault(instanceId);
        if (instance is null || instance.State != Ec2InstanceState.Stopping)
        {
            return;
        }

        instance.State = Ec2InstanceState.Stopped;
        instance.StateReasonCode = "Client.UserInitiatedShutdown";
        instance.Machine = snapshot ?? instance.Machine;
        _addresses.ReleasePublicIp(instance);
        scope.MarkChanged<Ec2RegionState>(region);
        _events.Raise(scope, region, instance, Ec2InstanceState.Stopping);
    }

    private async Task TerminateAsync(string accountId, string region, string instanceId, CancellationToken cancellationToken)
    {
        await _clock.DelayAsync(Ec2Timings.Terminate, cancellationToken);
        await _machines.ShutdownAsync(instanceId, dispose: true, cancellationToken);
        await using var scope = await _state.EnterAsync(accountId, cancellationToken);
        var instance = scope.Find<Ec2RegionState>(region)?.Instances.GetValueOrDefault(instanceId);
        if (instance is null || instance.State != Ec2InstanceState.ShuttingDown)
        {
            return;
        }

        instance.State = Ec2InstanceState.Terminated;
        instance.StateReasonCode = "Client.UserInitiatedShutdown";
        instance.TerminatedAt = _clock.UtcNow;
        instance.Machine = null;
        scope.MarkChanged<Ec2RegionState>(region);
        _events.Raise(scope, region, instance, Ec2InstanceState.ShuttingDown);
    }

    private static InstanceMetadata MetadataOf(Ec2Instance instance, string region) => new(
        instance.InstanceId,
        region,
        instance.AvailabilityZone,
        instance.InstanceType,
        instance.ImageId,
        instance.PrivateIpAddress,
        Ec2InstanceAddresses.PrivateDnsName(instance.PrivateIpAddress, region),
        instance.PublicIpAddress,
        instance.PublicIpAddress is null ? null : Ec2InstanceAddresses.PublicDnsName(instance.PublicIpAddress, region));

    private static string? DecodeUserData(string? userData)
    {
        if (userData is null)
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(userData));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
