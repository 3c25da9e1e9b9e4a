using LabPortal.Sandbox.Core;
using LabPortal.Sandbox.State;

namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>
/// Instances across a restart of the sandbox: before it stops, every machine's latest state is kept
/// and its listeners released; after it starts, each instance gets its public address back and
/// whatever transition was under way carries on (a running instance boots its machine again).
/// </summary>
public sealed class Ec2InstanceRestore : ISandboxLifecycle
{
    private readonly SandboxState _state;
    private readonly Ec2InstanceEvents _events;
    private readonly Ec2InstanceAddresses _addresses;
    private readonly Ec2InstanceTransitions _transitions;
    private readonly Ec2InstanceMachines _machines;

    public Ec2InstanceRestore(SandboxState state, Ec2InstanceEvents events, Ec2InstanceAddresses addresses, Ec2InstanceTransitions transitions, Ec2InstanceMachines machines)
    {
        _state = state;
        _events = events;
        _addresses = addresses;
        _transitions = transitions;
        _machines = machines;
    }

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        _events.StartDispatching();
        foreach (var accountId in _state.AccountIds)
        {
            await using var scope = await _state.EnterAsync(accountId, cancellationToken);
            foreach (var (region, ec2) in scope.All<Ec2RegionState>())
            {
                foreach (var instance in ec2.Instances.Values)
                {
                    Restore(scope, region, instance);
                }
            }
        }
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        // Keep each machine's latest state for the next start, then release its listeners.
        foreach (var group in _machines.ByAccount())
        {
            await using (var scope = await _state.EnterAsync(group.Key, cancellationToken))
            {
                foreach (var (id, runtime) in group)
                {
                    var instance = scope.Find<Ec2RegionState>(runtime.Region)?.Instances.GetValueOrDefault(id);
                    if (instance is not null && runtime.Machine is { } machine)
                    {
                        instance.Machine = machine.Snapshot();
                        scope.MarkChanged<Ec2RegionState>(runtime.Region);
                    }
                }
            }

            foreach (var (id, _) in group)
            {
                await _machines.ShutdownAsync(id, dispose: true, cancellationToken);
            }
        }
    }

    /// <summary>Brings an instance back after a restart: its address and route, and whatever transition was under way.</summary>
    private void Restore(AccountScope scope, string region, Ec2Instance instance)
    {
        _addresses.Restore(scope.AccountId, region, instance);
        switch (instance.State)
        {
            case Ec2InstanceState.Pending or Ec2InstanceState.Running:
                _transitions.ScheduleBoot(scope, region, instance.InstanceId, instance.State);
                break;
            case Ec2InstanceState.Stopping:
                _transitions.ScheduleStop(scope, region, instance.InstanceId);
                break;
            case Ec2InstanceState.ShuttingDown:
                _transitions.ScheduleTerminate(scope, region, instance.InstanceId);
                break;
            default:
                break;
        }
    }
}
