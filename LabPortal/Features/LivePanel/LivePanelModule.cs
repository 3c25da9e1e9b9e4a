namespace LabPortal.Features.LivePanel;

public static class LivePanelModule
{
    public static IHostApplicationBuilder AddLivePanel(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PanelRateLimits>();
        builder.Services.AddScoped<PanelReads>();
        builder.Services.AddSingleton<IPanelSources, CloudPanelSources>();
        builder.Services.AddSingleton<LivePanelHub>();
        return builder;
    }
}
