using System.Collections.Concurrent;
using LabPortal.Sandbox.Runtime;
using LabPortal.Sandbox.Runtime.Guest;

namespace LabPortal.Tests.Sandbox.Ssm;

/// <summary>A <see cref="FakeMachine"/> whose SSM scripts are recorded and partly acted on.</summary>
internal sealed class RecordingMachine(FakeMachine inner) : IMachine
{
    public ConcurrentQueue<string> Scripts { get; } = new();

    public InstanceMetadata Metadata => inner.Metadata;

    public string ConsoleOutput => inner.ConsoleOutput;

    public Task BootAsync(string? userData, bool firstBoot, CancellationToken cancellationToken = default) =>
        inner.BootAsync(userData, firstBoot, cancellationToken);

    public Task ShutdownAsync(CancellationToken cancellationToken = default) => inner.ShutdownAsync(cancellationToken);

    public async Task<ScriptResult> RunScriptAsync(string script, CancellationToken cancellationToken = default)
    {
        Scripts.Enqueue(script);
        if (script.Contains("systemctl stop nginx", StringComparison.Ordinal))
        {
            // The instance keeps running; only its web server goes away.
            await inner.ShutdownAsync(cancellationToken);
            return new ScriptResult(0, "Stopped nginx.service\n", string.Empty);
        }

        if (script.Contains("sleep infinity", StringComparison.Ordinal))
        {
            // Runs until the sandbox stops (or the command times out).
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        if (script.Contains("exit 3", StringComparison.Ordinal))
        {
            return new ScriptResult(3, string.Empty, "failing on purpose\n");
        }

        return new ScriptResult(0, $"ran {script.Split('\n').Length} line(s)\n", string.Empty);
    }

    public Uri? GetHttpEndpoint(int port) => inner.GetHttpEndpoint(port);

    public MachineState Snapshot() => inner.Snapshot();

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
