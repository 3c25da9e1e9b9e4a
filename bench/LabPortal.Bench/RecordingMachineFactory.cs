using System.Collections.Concurrent;
using LabPortal.Sandbox.Runtime;
using LabPortal.Sandbox.Runtime.Guest;

namespace LabPortal.Bench;

/// <summary>
/// The sandbox's own machine factory, remembering each instance's machine so the benchmark can reach
/// an instance's web server on its loopback endpoint (<see cref="IMachine.GetHttpEndpoint"/>) directly.
/// </summary>
internal sealed class RecordingMachineFactory(IMachineFactory inner) : IMachineFactory
{
    private readonly ConcurrentDictionary<string, IMachine> _machines = new();

    public IMachine Create(InstanceMetadata metadata, MachineState? restored)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var machine = inner.Create(metadata, restored);
        _machines[metadata.InstanceId] = machine;
        return machine;
    }

    /// <summary>The web server's loopback address for port 80 of <paramref name="instanceId"/>, or null while nothing listens.</summary>
    public Uri? WebServer(string instanceId) =>
        _machines.TryGetValue(instanceId, out var machine) ? machine.GetHttpEndpoint(80) : null;
}
