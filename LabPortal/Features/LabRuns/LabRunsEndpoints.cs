using LabPortal.Features.Accounts;
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

            var runId = await runs.StartAsync(http.User.UserId(), labId, http.RequestAborted);
            return runId is null ? Results.NotFound() : Results.Redirect($"/runs/{runId}");
        }).RequireAuthorization();
        return app;
    }
}
