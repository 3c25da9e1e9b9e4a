using LabPortal.Sandbox.Runtime;
using LabPortal.Sandbox.State;

namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>
/// EC2's instance API for the other services of the sandbox (Auto Scaling launches and terminates,
/// ELBv2 reads instances, checks their health over HTTP and routes to them, SSM runs scripts on
/// their machines). Errors are <see cref="Wire.ApiException"/>s with EC2's codes.
/// Each operation comes in two forms: one that takes the account's lock itself, and one for a
/// caller that already holds the account's <see cref="AccountScope"/> (never take the lock twice).
/// </summary>
public interface IEc2Instances
{
    /// <summary>
    /// Subscribes to every instance state change of every account. Handlers run one at a time, in
    /// order, outside any lock; an exception is logged and does not stop later events. Dispose to unsubscribe.
    /// </summary>
    IDisposable Subscribe(Func<InstanceStateChanged, CancellationToken, Task> handler);

    Task<Ec2Reservation> RunInstancesAsync(string accountId, string region, InstanceLaunchSpec spec, CancellationToken cancellationToken = default);

    Ec2Reservation RunInstances(AccountScope scope, string region, InstanceLaunchSpec spec);

    Task<IReadOnlyList<Ec2StateChange>> TerminateInstancesAsync(string accountId, string region, IReadOnlyCollection<string> instanceIds, CancellationToken cancellationToken = default);

    IReadOnlyList<Ec2StateChange> TerminateInstances(AccountScope scope, string region, IReadOnlyCollection<string> instanceIds);

    IReadOnlyList<Ec2StateChange> StopInstances(AccountScope scope, string region, IReadOnlyCollection<string> instanceIds);

    IReadOnlyList<Ec2StateChange> StartInstances(AccountScope scope, string region, IReadOnlyCollection<string> instanceIds);

    Task<Ec2InstanceView?> GetInstanceAsync(string accountId, string region, string instanceId, CancellationToken cancellationToken = default);

    /// <summary>The instance (also terminated ones while they are still visible), or null.</summary>
    Ec2InstanceView? FindInstance(AccountScope scope, string region, string instanceId);

    IReadOnlyList<Ec2InstanceView> ListInstances(AccountScope scope, string region);

    /// <summary>The instance's machine while it is booted, or null (stopped, terminated, other account, no machine factory).</summary>
    IMachine? GetMachine(string accountId, string instanceId);

    /// <summary>The loopback URL of what listens on <paramref name="port"/> of a running instance, or null (connection refused).</summary>
    Uri? GetHttpEndpoint(string accountId, string instanceId, int port);

    /// <summary>Persists the machine's current snapshot (call after changing it, e.g. an SSM script ran), so a restart keeps it.</summary>
    Task SaveMachineSnapshotAsync(string accountId, string region, string instanceId, CancellationToken cancellationToken = default);
}
