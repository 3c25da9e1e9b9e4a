using LabPortal.Infrastructure.Web;
using Microsoft.AspNetCore.Antiforgery;

namespace LabPortal.Features.LabRuns;

public static class LabRunsEndpoints
{
    public static IEndpointRouteBuilder MapLabRuns(this IEndpointRouteBuilder app)
    {
        // "Start lab" is a plain form post (antiforgery checked), so it works with or without a
        // circuit; the wizard then runs in one interactive page.
        app.MapPost("/labs/{labId}/start", async (string labId, HttpContext http, IAntiforgery antiforgery, LabRunService runs) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return Results.StatusCode(StatusCodes.Status400BadRequest);
            }

            int? runId;
            try
            {
                runId = await runs.StartAsync(http.User.UserId(), labId, http.RequestAborted);
            }
            catch (Infrastructure.Cloud.AccountPoolExhaustedException)
            {
                // Nothing was created: back to the labs page, which says why in both languages.
                return PostRedirect.To($"/labs?{LabsPage.PoolExhaustedQuery}={Uri.EscapeDataString(labId)}");
            }

            return runId is null ? Results.NotFound() : PostRedirect.To($"/runs/{runId}");
        }).RequireAuthorization();
        return app;
    }
}
