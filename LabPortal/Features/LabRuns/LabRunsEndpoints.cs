using LabPortal.Features.Accounts;
using LabPortal.Infrastructure.Htmx;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LabPortal.Features.LabRuns;

public static class LabRunsEndpoints
{
    public static IEndpointRouteBuilder MapLabRuns(this IEndpointRouteBuilder app)
    {
        // The status panel alone, for htmx polling while a step runs; a learner reaches only their own runs.
        app.MapGet("/runs/{runId:int}/steps/{stepId}/status", async Task<Results<RazorComponentResult<StepRunStatusPanel>, NotFound, RedirectHttpResult>> (
            int runId, string stepId, HttpContext context, LabRunService runs) =>
        {
            context.Response.VaryOnHtmx();
            var view = await runs.GetAsync(runId, context.User.UserId(), context.RequestAborted);
            if (view?.Step(stepId) is not { Latest: { } latest })
            {
                return TypedResults.NotFound();
            }

            if (!context.Request.IsHtmx())
            {
                return TypedResults.Redirect($"/runs/{runId}/steps/{stepId}");
            }

            return new RazorComponentResult<StepRunStatusPanel>(new { StepRun = latest, RunId = runId, StepId = stepId });
        }).RequireAuthorization();
        return app;
    }
}
