using LabPortal.Sandbox.Runtime;
using LabPortal.Sandbox.State;

namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>
/// EC2's instance API for the EC2 service and the other services (<see cref="IEc2Instances"/>): it
/// reads instances itself and hands each other job to the class that does it: launching
/// (<see cref="Ec2InstanceLauncher"/>), state transitions and their timers (<see cref="Ec2InstanceTransitions"/>),
/// the machines (<see cref="Ec2InstanceMachines"/>) and the event bus (<see cref="Ec2InstanceEvents"/>).
/// Restore after a restart is <see cref="Ec2InstanceRestore"/>; account deletion <see cref="Ec2InstanceCleanup"/>.
/// </summary>
public sealed class Ec2Instances : IEc2Instances
{
    private readonly SandboxState _state;
    private readonly Ec2InstanceEvents _events;
    private readonly Ec2InstanceLauncher _launcher;
    private readonly Ec2InstanceTransitions _transitions;
    private readonly Ec2InstanceMachines _machines;

    // publicHosts is taken so that the instances' public DNS names are on the data plane as soon as
    // instances can be launched: the routes register themselves when they are made.
    public Ec2Instances(SandboxState state, Ec2InstanceEvents events, Ec2InstanceLauncher launcher, Ec2InstanceTransitions transitions, Ec2InstanceMachines machines, Ec2PublicHostRoutes publicHosts)
    {
        ArgumentNullException.ThrowIfNull(publicHosts);
        _state = state;
        _events = events;
        _launcher = launcher;
        _transitions = transitions;
        _machines = machines;
    }

    public IDisposable Subscribe(Func<InstanceStateChanged, CancellationToken, Task> handler) => _events.Subscribe(handler);

    public async Task<Ec2Reservation> RunInstancesAsync(string accountId, string region, InstanceLaunchSpec spec, CancellationToken cancellationToken = default)
    {
        await using var scope = await _state.EnterAsync(accountId, cancellationToken);
        return RunInstances(scope, region, spec);
    }

    public Ec2Reservation RunInstances(AccountScope scope, string region, InstanceLaunchSpec spec) => _launcher.RunInstances(scope, region, spec);

    public async Task<IReadOnlyList<Ec2StateChange>> TerminateInstancesAsync(string accountId, string region, IReadOnlyCollection<string> instanceIds, CancellationToken cancellationToken = default)
    {
        await using var scope = await _state.EnterAsync(accountId, cancellationToken);
        return TerminateInstances(scope, region, instanceIds);
    }

    public IReadOnlyList<Ec2StateChange> TerminateInstances(AccountScope scope, string region, IReadOnlyCollection<string> instanceIds) =>
        _transitions.TerminateInstances(scope, region, instanceIds);

    public IReadOnlyList<Ec2StateChange> StopInstances(AccountScope scope, string region, IReadOnlyCollection<string> instanceIds) =>
        _transitions.StopInstances(scope, region, instanceIds);

    public IReadOnlyList<Ec2StateChange> StartInstances(AccountScope scope, string region, IReadOnlyCollection<string> instanceIds) =>
        _transitions.StartInstances(scope, region, instanceIds);

    /// <summary>Terminated instances disappear from Describe calls about an hour later (scaled).</summary>
    internal void PurgeExpired(AccountScope scope, string region) => _transitions.PurgeExpired(scope, region);

    public async Task<Ec2InstanceView?> GetInstanceAsync(string accountId, string region, string instanceId, CancellationToken cancellationToken = default)
    {
        await using var scope = await _state.EnterAsync(accountId, cancellationToken);
        return FindInstance(scope, region, instanceId);
    }

    public Ec2InstanceView? FindInstance(AccountScope scope, string region, string instanceId)
    {
        var instance = scope.Find<Ec2RegionState>(region)?.Instances.GetValueOrDefault(instanceId);
        return instance is null ? null : ViewOf(scope.AccountId, region, instance);
    }

    public IReadOnlyList<Ec2InstanceView> ListInstances(AccountScope scope, string region) =>
        scope.Find<Ec2RegionState>(region)?.Instances.Values.Select(i => ViewOf(scope.AccountId, region, i)).ToList() ?? [];

    public IMachine? GetMachine(string accountId, string instanceId) => _machines.GetMachine(accountId, instanceId);

    public Uri? GetHttpEndpoint(string accountId, string instanceId, int port) => _machines.GetHttpEndpoint(accountId, instanceId, port);

    public async Task SaveMachineSnapshotAsync(string accountId, string region, string instanceId, CancellationToken cancellationToken = default)
    {
        if (GetMachine(accountId, instanceId) is not { } machine)
        {
            return;
        }

        var snapshot = machine.Snapshot();
        await using var scope = await _state.EnterAsync(accountId, cancellationToken);
        var instance = scope.Find<Ec2RegionState>(region)?.Instances.GetValueOrDefault(instanceId);
        if (instance is not null && instance.State is Ec2InstanceState.Running or Ec2InstanceState.Pending)
        {
            instance.Machine = snapshot;
            scope.MarkChanged<Ec2RegionState>(region);
        }
    }

    private static Ec2InstanceView ViewOf(string accountId, string region, Ec2Instance i) => new(
        accountId,
        region,
        i.InstanceId,
        i.State,
        i.AvailabilityZone,
        i.SubnetId,
        i.VpcId,
        i.PrivateIpAddress,
        i.PublicIpAddress,
        i.PublicIpAddress is null ? null : Ec2InstanceAddresses.PublicDnsName(i.PublicIpAddress, region),
        Ec2InstanceAddresses.PrivateDnsName(i.PrivateIpAddress, region),
        i.ImageId,
        i.InstanceType,
        i.LaunchTime,
        i.SecurityGroupIds.ToList(),
        new Dictionary<string, string>(i.Tags, StringComparer.Ordinal))
    {
        IamInstanceProfileArn = i.IamInstanceProfileArn,
    };
}
