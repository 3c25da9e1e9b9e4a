using System.Net;
using LabPortal.Sandbox.Accounts;
using LabPortal.Sandbox.Core;
using LabPortal.Sandbox.DataPlane;
using LabPortal.Sandbox.State;
using LabPortal.Sandbox.Wire.Gateway;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LabPortal.Sandbox;

/// <summary>
/// Starts the sandbox inside the host process: loads accounts and state, runs the services' start
/// hooks (EC2 boots instances again), then its own two Kestrel servers, separate from the portal's
/// pipeline: the API port and the data plane front.
/// </summary>
internal sealed class SandboxHost(
    IOptions<SandboxOptions> options,
    SandboxDatabase database,
    SandboxAccountStore accounts,
    SandboxState state,
    IEnumerable<ISandboxLifecycle> lifecycles,
    SandboxBackgroundWork background,
    ApiGateway gateway,
    DataPlaneFront front,
    SandboxAdminEndpoint admin,
    SandboxEndpoints endpoints,
    ILogger<SandboxHost> logger) : IHostedService, IAsyncDisposable
{
    private WebApplication? _api;
    private WebApplication? _dataPlane;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            logger.LogInformation("Sandbox disabled (Sandbox:Enabled = false)");
            return;
        }

        await database.InitializeAsync(cancellationToken);
        await accounts.LoadAsync(cancellationToken);
        await state.LoadAsync(cancellationToken);
        foreach (var lifecycle in lifecycles)
        {
            await lifecycle.StartedAsync(cancellationToken);
        }

        var address = ParseAddress(settings.BindAddress);
        Uri apiUri, dataPlaneUri;
        (_api, apiUri) = await StartServerAsync("LabPortal.Sandbox.Api", address, settings.ApiPort, HandleApiAsync, ApiGateway.MaxBodyBytes, cancellationToken);
        (_dataPlane, dataPlaneUri) = await StartServerAsync("LabPortal.Sandbox.DataPlane", address, settings.DataPlanePort, front.HandleAsync, null, cancellationToken);
        endpoints.SetListening(apiUri, dataPlaneUri);
        logger.LogInformation("Sandbox listening: API {Api}, data plane {DataPlane}, time scale {TimeScale}", apiUri, dataPlaneUri, settings.TimeScale);
    }

    // AWS calls go to "/" (and presigned URLs to "/?..."), so the admin API's own path cannot take one of theirs.
    private Task HandleApiAsync(HttpContext context) =>
        SandboxAdminEndpoint.Handles(context) ? admin.HandleAsync(context) : gateway.HandleAsync(context);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_api is null && _dataPlane is null)
        {
            return;
        }

        endpoints.SetStopped();
        await background.StopAsync(TimeSpan.FromSeconds(5));
        foreach (var lifecycle in lifecycles.Reverse())
        {
            try
            {
                await lifecycle.StoppingAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                logger.LogError(ex, "Sandbox stop hook {Hook} failed", lifecycle.GetType().Name);
            }
        }

        await DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in new[] { _api, _dataPlane })
        {
            if (app is not null)
            {
                await app.StopAsync(CancellationToken.None);
                await app.DisposeAsync();
            }
        }

        _api = null;
        _dataPlane = null;
    }

    private static IPAddress ParseAddress(string bindAddress) => bindAddress switch
    {
        "localhost" => IPAddress.Loopback,
        "*" => IPAddress.Any,
        _ => IPAddress.Parse(bindAddress),
    };

    private static async Task<(WebApplication App, Uri Address)> StartServerAsync(
        string name, IPAddress address, int port, RequestDelegate handler, long? maxBody, CancellationToken cancellationToken)
    {
        // An empty builder: no configuration sources, so the portal's appsettings (its Kestrel
        // section, URLs) cannot leak into the sandbox's servers.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = name });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = maxBody;
            kestrel.Listen(address, port);
        });
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync(cancellationToken);
        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var host = address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) ? "localhost" : bound.Host;
        return (app, new UriBuilder("http", host, bound.Port).Uri);
    }
}
