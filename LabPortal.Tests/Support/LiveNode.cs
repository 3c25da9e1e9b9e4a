using LabPortal.Features.LivePanel;
using LabPortal.Infrastructure.Live;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LabPortal.Tests.Support;

/// <summary>
/// One portal "node" for the live components alone: a host with the portal's own live registrations
/// (<see cref="LiveModule.AddLiveChanges"/>) on the given portal connection string, and a live panel hub
/// whose polls go to the given panel sources instead of a cloud. Two of them on one PostgreSQL
/// database are two nodes; disposing one is that node going away (its connections close).
/// </summary>
public sealed class LiveNode : IAsyncDisposable
{
    private readonly IHost _host;
    private int _disposed;

    private LiveNode(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public RunChanges Changes => Services.GetRequiredService<RunChanges>();

    public LivePanelHub Hub => Services.GetRequiredService<LivePanelHub>();

    public PostgresLiveBus Bus => Services.GetRequiredService<PostgresLiveBus>();

    public static async Task<LiveNode> StartAsync(string portalConnectionString, IPanelSources sources, IDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Portal"] = portalConnectionString,
            ["Live:ReconnectDelay"] = "00:00:00.200",
            ["Live:LeaseRetryInterval"] = "00:00:00.250",
            ["LivePanel:IntervalMilliseconds"] = "250",
        });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.Logging.AddFilter(_ => false);
        builder.AddLiveChanges();
        builder.Services.AddSingleton(sources);
        builder.Services.AddSingleton<LivePanelHub>();
        var host = builder.Build();
        await host.StartAsync();
        return new LiveNode(host);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _host.StopAsync();
            if (_host is IAsyncDisposable asyncHost)
            {
                await asyncHost.DisposeAsync();
            }
            else
            {
                _host.Dispose();
            }
        }
    }
}
