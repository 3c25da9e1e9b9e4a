using LabPortal.Infrastructure.Live;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace LabPortal.Features.LivePanel;

public static class LivePanelModule
{
    public static IHostApplicationBuilder AddLivePanel(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PanelRateLimits>();
        builder.Services.AddScoped<PanelReads>();
        builder.Services.AddSingleton<IPanelSources, CloudPanelSources>();
        builder.Services.AddSingleton<LivePanelHub>();
        // A closed tab's circuit lingers for a reconnect; its panel stops polling meanwhile.
        builder.Services.AddScoped<CircuitConnection>();
        builder.Services.AddScoped<CircuitHandler>(services => services.GetRequiredService<CircuitConnection>());
        return builder;
    }
}
