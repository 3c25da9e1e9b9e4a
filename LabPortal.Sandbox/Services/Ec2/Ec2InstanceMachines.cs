using System.Collections.Concurrent;
using LabPortal.Sandbox.Runtime;
using LabPortal.Sandbox.Runtime.Guest;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>
/// The machines (<see cref="IMachine"/>) behind instances: one per booted instance, created, booted,
/// shut down and disposed behind a per-instance gate.
/// Lock order: a flow never waits for the account lock while holding a machine's gate.
/// </summary>
public sealed class Ec2InstanceMachines
{
    private readonly IMachineFactory? _factory;
    private readonly ILogger<Ec2InstanceMachines> _logger;
    private readonly ConcurrentDictionary<string, InstanceRuntime> _runtimes = new(StringComparer.Ordinal);

    public Ec2InstanceMachines(IServiceProvider services, ILogger<Ec2InstanceMachines> logger)
    {
        _logger = logger;

        // Optional until the instance runtime is merged in: without it instances run with no operating system.
        _factory = services.GetService<IMachineFactory>();
    }

    /// <summary>The instance's runtime slot, made on first use (launch, start, restore).</summary>
    internal InstanceRuntime Track(string accountId, string region, string instanceId) =>
        _runtimes.GetOrAdd(instanceId, _ => new InstanceRuntime(accountId, region));

    /// <summary>Every tracked instance with its runtime, grouped by account (for snapshots before a stop).</summary>
    internal IEnumerable<IGrouping<string, KeyValuePair<string, InstanceRuntime>>> ByAccount() =>
        _runtimes.ToList().GroupBy(r => r.Value.AccountId, StringComparer.Ordinal);

    public IMachine? GetMachine(string accountId, string instanceId) =>
        _runtimes.TryGetValue(instanceId, out var runtime) && runtime.AccountId == accountId && !runtime.Disposed ? runtime.Machine : null;

    public Uri? GetHttpEndpoint(string accountId, string instanceId, int port) => GetMachine(accountId, instanceId)?.GetHttpEndpoint(port);

    /// <summary>
    /// Creates the machine if needed (from its last snapshot) and boots it; returns the snapshot after
    /// booting, or null when there is no machine factory or the instance went away meanwhile.
    /// </summary>
    internal async Task<(bool Gone, MachineState? Snapshot)> BootAsync(InstanceRuntime runtime, InstanceMetadata metadata, string? userData, bool firstBoot, MachineState? restored, CancellationToken cancellationToken)
    {
        await runtime.Gate.WaitAsync(cancellationToken);
        try
        {
            if (runtime.Disposed)
            {
                return (true, null);
            }

            if (_factory is null)
            {
                return (false, null);
            }

            runtime.Machine ??= _factory.Create(metadata, restored);
            try
            {
                await runtime.Machine.BootAsync(userData, firstBoot, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A failing boot script does not stop EC2 from reporting the instance running.
                _logger.LogWarning(ex, "Machine of {InstanceId} failed to boot cleanly", metadata.InstanceId);
            }

            return (false, runtime.Machine.Snapshot());
        }
        finally
        {
            runtime.Gate.Release();
        }
    }

    /// <summary>Shuts the machine down (stop) or down and away (<paramref name="dispose"/>: terminate); returns its last snapshot.</summary>
    internal async Task<MachineState?> ShutdownAsync(string instanceId, bool dispose, CancellationToken cancellationToken)
    {
        if (!_runtimes.TryGetValue(instanceId, out var runtime))
        {
            return null;
        }

        await runtime.Gate.WaitAsync(cancellationToken);
        try
        {
            MachineState? snapshot = null;
            if (runtime.Machine is { } machine)
            {
                await machine.ShutdownAsync(cancellationToken);
                snapshot = machine.Snapshot();

                // A stopped instance gets a new machine on start: its metadata (public address) changes.
                await machine.DisposeAsync();
                runtime.Machine = null;
            }

            if (dispose)
            {
                runtime.Disposed = true;
                _runtimes.TryRemove(instanceId, out _);
            }

            return snapshot;
        }
        finally
        {
            runtime.Gate.Release();
        }
    }

    /// <summary>Marks the instance's runtime gone so a boot under way does not bring the machine back.</summary>
    internal async Task DiscardAsync(string instanceId, CancellationToken cancellationToken)
    {
        if (_runtimes.TryGetValue(instanceId, out var runtime))
        {
            // Machine gates are taken without the account lock held elsewhere, so taking one here cannot deadlock.
            await ShutdownAsync(instanceId, dispose: true, cancellationToken);
            runtime.Disposed = true;
        }
    }

    /// <summary>One instance's machine and the gate that orders its boot and shutdown.</summary>
    internal sealed class InstanceRuntime(string accountId, string region)
    {
        public string AccountId { get; } = accountId;

        public string Region { get; } = region;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public IMachine? Machine { get; set; }

        public bool Disposed { get; set; }
    }
}
