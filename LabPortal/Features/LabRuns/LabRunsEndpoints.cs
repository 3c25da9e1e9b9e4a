using LabPortal.Features.Accounts;
using LabPortal.Features.LabRuns.Drill;
using LabPortal.Infrastructure.Htmx;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LabPortal.Features.LabRuns;

public static class LabRunsEndpoints
{
    /// <summary>htmx stops polling an element whose request answers 286.</summary>
    public const int StopPolling = 286;

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

        // The drill timeline's content, polled by htmx; 286 tells htmx to stop polling once the story is over.
        app.MapGet("/runs/{runId:int}/steps/{stepId}/timeline", async Task<IResult> (
            int runId, string stepId, HttpContext context, LabRunService runs, DrillTimeline timeline) =>
        {
            context.Response.VaryOnHtmx();
            var view = await runs.GetAsync(runId, context.User.UserId(), context.RequestAborted);
            if (view?.Step(stepId) is not { Definition.Action: nameof(Actions.StopWebServer) })
            {
                return TypedResults.NotFound();
            }

            if (!context.Request.IsHtmx())
            {
                return TypedResults.Redirect($"/runs/{runId}/steps/{stepId}");
            }

            var (built, problem) = await timeline.TryBuildAsync(view, context.RequestAborted);
            // Keep reading while the drill step runs (its outputs appear during the run), after a failed read, and until the story is over.
            var keepPolling = view.Step(stepId)!.InProgress || problem is not null || built?.KeepPolling == true;
            return new RazorComponentResult<DrillTimelineList>(new { Timeline = built, Problem = problem }) { StatusCode = keepPolling ? StatusCodes.Status200OK : StopPolling };
        }).RequireAuthorization();
        return app;
    }
}
