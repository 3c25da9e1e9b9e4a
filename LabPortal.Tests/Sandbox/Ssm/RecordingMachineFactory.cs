using System.Collections.Concurrent;
using LabPortal.Sandbox.Runtime;
using LabPortal.Sandbox.Runtime.Guest;

namespace LabPortal.Tests.Sandbox.Ssm;

/// <summary>
/// Machines that behave as <see cref="FakeMachine"/> and also run SSM scripts observably:
/// every script is recorded, and <c>systemctl stop nginx</c> really stops the web server.
/// </summary>
internal sealed class RecordingMachineFactory : IMachineFactory
{
    public ConcurrentQueue<RecordingMachine> Machines { get; } = new();

    public IMachine Create(InstanceMetadata metadata, MachineState? restored)
    {
        var machine = new RecordingMachine(new FakeMachine(metadata, restored));
        Machines.Enqueue(machine);
        return machine;
    }

    public RecordingMachine? For(string instanceId) => Machines.LastOrDefault(m => m.Metadata.InstanceId == instanceId);
}
