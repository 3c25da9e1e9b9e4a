namespace LabPortal.Sandbox.Core;

/// <summary>
/// A service's start and stop hooks. <see cref="StartedAsync"/> runs after accounts and state are
/// loaded (restore runtime things: EC2 boots its running instances again, ELBv2 restarts health
/// checks and re-maps load-balancer hosts); <see cref="StoppingAsync"/> runs before the servers stop
/// (EC2 snapshots and shuts down machines). Register with <c>services.AddSingleton&lt;ISandboxLifecycle, X&gt;()</c>.
/// </summary>
public interface ISandboxLifecycle
{
    Task StartedAsync(CancellationToken cancellationToken);

    Task StoppingAsync(CancellationToken cancellationToken);
}
