using LabPortal.Sandbox;
using LabPortal.Sandbox.Accounts;
using Microsoft.Extensions.Options;

namespace LabPortal.Infrastructure.Cloud;

/// <summary>
/// Where this portal's sandbox is: in its own process (<see cref="SandboxEndpoints"/>, the default) or a
/// standalone sandbox shared by several portal nodes (<c>Sandbox:Enabled=false</c> + <c>Sandbox:ApiUrl</c>,
/// <see cref="ExternalSandboxOptions"/>). The accounts are <see cref="ISandboxAccounts"/> either way: in
/// process, or <see cref="RemoteSandboxAccounts"/> over the standalone sandbox's admin API.
/// </summary>
public sealed class SandboxConnection(IServiceProvider services, IOptions<ExternalSandboxOptions> external, TimeProvider time)
{
    /// <summary>After a failed call, how long the standalone sandbox counts as not ready (a teardown comes back later).</summary>
    private static readonly TimeSpan DownFor = TimeSpan.FromSeconds(5);

    private long _lastFailureTicks;

    public bool IsExternal => external.Value.IsExternal;

    /// <summary>The API endpoint for every service.</summary>
    public Uri Api => IsExternal ? external.Value.ApiUrl! : services.GetRequiredService<SandboxEndpoints>().Api;

    /// <summary>The data plane's port: port 80 of every load balancer and instance.</summary>
    public int DataPlanePort => IsExternal ? external.Value.DataPlaneUrl!.Port : services.GetRequiredService<SandboxEndpoints>().DataPlane.Port;

    /// <summary>
    /// In process: whether its servers listen (they start after the portal's job server). Standalone: false for a
    /// few seconds after a call found it unreachable, true otherwise (the next call finds out).
    /// </summary>
    public bool IsListening => IsExternal
        ? time.GetUtcNow().UtcTicks - Interlocked.Read(ref _lastFailureTicks) > DownFor.Ticks
        : services.GetRequiredService<SandboxEndpoints>().IsListening;

    public ISandboxAccounts Accounts => services.GetRequiredService<ISandboxAccounts>();

    /// <summary>The URL a browser uses for a data-plane DNS name (<c>*.localhost</c> names reach the machine the browser runs on).</summary>
    public Uri DataPlaneUrlFor(string hostName) => new($"http://{hostName}:{DataPlanePort}/");

    internal void ReportFailure() => Interlocked.Exchange(ref _lastFailureTicks, time.GetUtcNow().UtcTicks);

    internal void ReportSuccess() => Interlocked.Exchange(ref _lastFailureTicks, 0);
}
