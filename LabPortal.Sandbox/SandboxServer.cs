using LabPortal.Sandbox.Accounts;
using LabPortal.Sandbox.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LabPortal.Sandbox;

/// <summary>
/// A sandbox hosted alone, for tests and tools:
/// <c>await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { ApiPort = 0, DataPlanePort = 0, ... })</c>.
/// Use ports 0 so many sandboxes run side by side; read the bound addresses from <see cref="Endpoints"/>.
/// </summary>
public sealed class SandboxServer : IAsyncDisposable
{
    private readonly IHost _host;

    private SandboxServer(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public SandboxEndpoints Endpoints => Services.GetRequiredService<SandboxEndpoints>();

    public ISandboxAccounts Accounts => Services.GetRequiredService<ISandboxAccounts>();

    /// <param name="options">Copied; later changes have no effect.</param>
    /// <param name="configureServices">Extra registrations, e.g. an <c>IMachineFactory</c>, a <c>TimeProvider</c> or another service.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<SandboxServer> StartAsync(SandboxOptions options, Action<IServiceCollection>? configureServices = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var copy = options.Clone();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddLogging();
        builder.AddSandbox();
        builder.Services.Configure<SandboxOptions>(o =>
        {
            o.Enabled = copy.Enabled;
            o.ApiPort = copy.ApiPort;
            o.DataPlanePort = copy.DataPlanePort;
            o.TimeScale = copy.TimeScale;
            o.AllowPlaygroundCredentials = copy.AllowPlaygroundCredentials;
            o.DataDirectory = copy.DataDirectory;
            o.BindAddress = copy.BindAddress;
            o.EnforceRateLimits = copy.EnforceRateLimits;
            o.MaxSessionLifetime = copy.MaxSessionLifetime;
            o.AdminKey = copy.AdminKey;
        });
        configureServices?.Invoke(builder.Services);
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new SandboxServer(host);
    }

    /// <summary>Shorthand for <see cref="ISandboxAccounts.CreateAccountAsync"/>.</summary>
    public Task<SandboxAccount> CreateAccountAsync(string label = "test", CancellationToken cancellationToken = default) =>
        Accounts.CreateAccountAsync(label, cancellationToken);

    /// <summary>Stops the servers gracefully (machines are snapshotted first), like a process shutdown.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync(CancellationToken.None);
        }
        finally
        {
            if (_host is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync();
            }
            else
            {
                _host.Dispose();
            }
        }
    }
}
