using LabPortal.Sandbox.Runtime.Guest;

namespace LabPortal.Sandbox.Runtime;

/// <summary>
/// The operating system of one sandbox instance: runs user data and SSM shell scripts (a small
/// shell subset), and owns the instance's real HTTP web server when a script starts one.
/// The control plane (EC2) owns lifecycle; this owns what happens "inside" the instance.
/// </summary>
public interface IMachine : IAsyncDisposable
{
    InstanceMetadata Metadata { get; }

    /// <summary>Console output as <c>GetConsoleOutput</c> shows it: what ran and what was ignored.</summary>
    string ConsoleOutput { get; }

    /// <summary>
    /// Boots the machine. On the first boot the user data runs once (as cloud-init does); on every
    /// boot the services enabled with <c>systemctl enable</c> start again.
    /// </summary>
    Task BootAsync(string? userData, bool firstBoot, CancellationToken cancellationToken = default);

    /// <summary>Stops every running service and releases listeners (instance stop or terminate).</summary>
    Task ShutdownAsync(CancellationToken cancellationToken = default);

    /// <summary>Runs a script as SSM <c>AWS-RunShellScript</c> does, on a booted machine.</summary>
    Task<ScriptResult> RunScriptAsync(string script, CancellationToken cancellationToken = default);

    /// <summary>
    /// The loopback address of the HTTP server that listens on <paramref name="port"/> of this
    /// instance (the web server serves port 80), or null when nothing listens there.
    /// </summary>
    Uri? GetHttpEndpoint(int port);

    /// <summary>The state to persist so that a restart brings the instance back as it was.</summary>
    MachineState Snapshot();

    /// <summary>
    /// Answers <paramref name="context"/>'s request with the web server on <paramref name="port"/>
    /// inside the process, as its listener would; false when nothing listens there (the caller then
    /// goes over the socket and sees the refusal). The load balancer uses this for traffic: a loopback
    /// HTTP hop between two servers of the same process measured half of nginx's throughput
    /// (bench/results/2026-11-22-proxy.md). Health checks and direct access still use the real listener.
    /// </summary>
    Task<bool> TryServeAsync(int port, Microsoft.AspNetCore.Http.HttpContext context) => Task.FromResult(false);
}

/// <summary>Creates machines; <c>restored</c> is a snapshot taken before a restart, or null for a new instance.</summary>
public interface IMachineFactory
{
    IMachine Create(InstanceMetadata metadata, MachineState? restored);
}

/// <summary>The result of one script run.</summary>
public sealed record ScriptResult(int ExitCode, string StandardOutput, string StandardError);
