using System.Collections.Concurrent;
using LabPortal.Sandbox.Runtime;
using LabPortal.Sandbox.Runtime.Guest;

namespace LabPortal.Tests.Sandbox;

/// <summary>Test double of the instance runtime: records calls; a machine whose user data mentions nginx serves a page.</summary>
internal sealed class FakeMachineFactory : IMachineFactory
{
    public ConcurrentQueue<FakeMachine> Machines { get; } = new();

    public IMachine Create(InstanceMetadata metadata, MachineState? restored)
    {
        var machine = new FakeMachine(metadata, restored);
        Machines.Enqueue(machine);
        return machine;
    }

    public FakeMachine? For(string instanceId) => Machines.LastOrDefault(m => m.Metadata.InstanceId == instanceId);
}
