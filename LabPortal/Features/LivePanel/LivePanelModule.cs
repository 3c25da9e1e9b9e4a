using LabPortal.Features.Accounts;
using LabPortal.Features.LabRuns;
using LabPortal.Infrastructure.Localization;

namespace LabPortal.Features.LivePanel;

public static class LivePanelModule
{
    public static IHostApplicationBuilder AddLivePanel(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PanelRateLimits>();
        builder.Services.AddSingleton<PanelRenderer>();
        builder.Services.AddSingleton<LivePanelHub>();
        return builder;
    }

    public static IEndpointRouteBuilder MapLivePanel(this IEndpointRouteBuilder app)
    {
        // The stream of one run's panel; a learner reaches only their own runs (404 otherwise).
        app.MapGet("/runs/{runId:int}/live/stream", async Task<IResult> (int runId, HttpContext context, LabRunService runs, LivePanelHub hub) =>
        {
            if (await runs.GetAsync(runId, context.User.UserId(), context.RequestAborted) is null)
            {
                return TypedResults.NotFound();
            }

            return TypedResults.ServerSentEvents(hub.StreamAsync(runId, L.IsKorean ? "ko" : "en", context.RequestAborted));
        }).RequireAuthorization();
        return app;
    }
}
