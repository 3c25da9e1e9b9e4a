using System.Globalization;
using LabPortal.Infrastructure.Data;
using LabPortal.Infrastructure.Localization;
using LabPortal.Infrastructure.Web;
using Microsoft.AspNetCore.Antiforgery;

namespace LabPortal.Features.Cleanup;

/// <summary>
/// Form posts (they work without JavaScript; antiforgery checked on each): instructor resets,
/// orphan deletions (confirmed, as the sweeper page's dialog does), the sweeper's "clean up this run" (the learner's "keep working" is a circuit action: LabWizard). Refusals change nothing: 400 without a
/// valid token, 403 for anyone who is not an instructor of the class, 404 for a run that is not the
/// learner's.
/// </summary>
public static class CleanupEndpoints
{
    public static IEndpointRouteBuilder MapCleanup(this IEndpointRouteBuilder app)
    {
        app.MapPost("/classes/{classId:int}/learners/{userId:int}/reset", async (int classId, int userId, HttpContext http, IAntiforgery antiforgery, ResetService resets) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return Results.StatusCode(StatusCodes.Status400BadRequest);
            }

            if (await UnconfirmedAsync(http, classId, resets) is { } refused)
            {
                return refused;
            }

            var (result, runs) = await resets.ResetLearnerAsync(classId, http.User.UserId(), userId, http.RequestAborted);
            return result switch
            {
                ResetResult.Forbidden => Results.StatusCode(StatusCodes.Status403Forbidden),
                ResetResult.NotFound => Results.StatusCode(StatusCodes.Status404NotFound),
                _ => PostRedirect.To($"/classes/{classId}/dashboard?reset=learner&learner={userId}&runs={runs.ToString(CultureInfo.InvariantCulture)}"),
            };
        }).RequireAuthorization();

        app.MapPost("/classes/{classId:int}/reset", async (int classId, HttpContext http, IAntiforgery antiforgery, ResetService resets) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return Results.StatusCode(StatusCodes.Status400BadRequest);
            }

            if (await UnconfirmedAsync(http, classId, resets) is { } refused)
            {
                return refused;
            }

            var (result, runs) = await resets.ResetClassAsync(classId, http.User.UserId(), http.RequestAborted);
            return result == ResetResult.Forbidden
                ? Results.StatusCode(StatusCodes.Status403Forbidden)
                : PostRedirect.To($"/classes/{classId}/dashboard?reset=class&runs={runs.ToString(CultureInfo.InvariantCulture)}");
        }).RequireAuthorization();

        app.MapPost("/classes/{classId:int}/orphans/delete", async (int classId, HttpContext http, IAntiforgery antiforgery, ResetService resets, OrphanSweeper sweeper) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return Results.StatusCode(StatusCodes.Status400BadRequest);
            }

            if (!await resets.IsInstructorAsync(classId, http.User.UserId(), http.RequestAborted))
            {
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }

            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            int? userId = int.TryParse(form["userId"], CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
            var kind = form["kind"].ToString();
            var resourceId = form["resourceId"].ToString();
            if (kind.Length == 0 || resourceId.Length == 0)
            {
                return PostRedirect.To(OrphansUrl(classId, "failed", L.T("Choose a resource to delete.", "삭제할 리소스를 고르세요.")));
            }

            // A deletion cannot be undone: like the page's dialog, the post must say it was confirmed.
            if (!string.Equals(form["confirm"], "true", StringComparison.OrdinalIgnoreCase))
            {
                return PostRedirect.To(OrphansUrl(classId, "failed", L.T($"{kind} {resourceId} was not deleted: confirm the deletion.", $"{kind} {resourceId}을(를) 삭제하지 않았습니다. 삭제를 확인하세요.")));
            }

            if (!ResourceKinds.TryParse(kind, out var known))
            {
                // No resource of an unknown kind is ever offered: refused as any key the sweeper does not offer.
                return PostRedirect.To(OrphansUrl(classId, "failed", L.T($"{kind} {resourceId} is not an orphan of this class (any more).", $"{kind} {resourceId}은(는) (더 이상) 이 수업의 고아 리소스가 아닙니다.")));
            }

            var (deleted, message) = await sweeper.DeleteAsync(classId, http.User.UserId(), userId, known, resourceId, http.RequestAborted);
            return PostRedirect.To(OrphansUrl(classId, deleted ? "deleted" : "failed", message));
        }).RequireAuthorization();

        app.MapPost("/classes/{classId:int}/orphans/cleanup-run", async (int classId, HttpContext http, IAntiforgery antiforgery, ResetService resets, OrphanSweeper sweeper) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return Results.StatusCode(StatusCodes.Status400BadRequest);
            }

            if (!await resets.IsInstructorAsync(classId, http.User.UserId(), http.RequestAborted))
            {
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }

            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            if (!int.TryParse(form["runId"], CultureInfo.InvariantCulture, out var runId))
            {
                return PostRedirect.To(OrphansUrl(classId, "failed", L.T("Choose a run to clean up.", "정리할 실행을 고르세요.")));
            }

            // Tearing a run down deletes a learner's work: the row's "I understand" box must be ticked (browsers enforce it too).
            if (!string.Equals(form["confirm"], "true", StringComparison.OrdinalIgnoreCase))
            {
                return PostRedirect.To(OrphansUrl(classId, "failed", L.T($"Run #{runId} was not cleaned up: tick the box to confirm.", $"{runId}번 실행을 정리하지 않았습니다. 확인란을 선택하세요.")));
            }

            var (started, message) = await sweeper.CleanUpRunAsync(classId, http.User.UserId(), runId, http.RequestAborted);
            return PostRedirect.To(OrphansUrl(classId, started ? "cleaning" : "failed", message));
        }).RequireAuthorization();

        app.MapPost("/classes/{classId:int}/orphans/forget", async (int classId, HttpContext http, IAntiforgery antiforgery, ResetService resets, OrphanSweeper sweeper) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return Results.StatusCode(StatusCodes.Status400BadRequest);
            }

            if (!await resets.IsInstructorAsync(classId, http.User.UserId(), http.RequestAborted))
            {
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }

            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            if (!int.TryParse(form["entryId"], CultureInfo.InvariantCulture, out var entryId))
            {
                return PostRedirect.To(OrphansUrl(classId, "failed", L.T("Choose a ledger entry.", "장부 항목을 고르세요.")));
            }

            var (forgotten, message) = await sweeper.ForgetAsync(classId, http.User.UserId(), entryId, http.RequestAborted);
            return PostRedirect.To(OrphansUrl(classId, forgotten ? "forgotten" : "failed", message));
        }).RequireAuthorization();

        return app;
    }

    private static string OrphansUrl(int classId, string status, string message) =>
        $"/classes/{classId}/orphans?status={status}&message={Uri.EscapeDataString(message)}";

    /// <summary>
    /// A reset deletes a learner's work: the form's "I understand" box must be ticked (browsers enforce
    /// it; this catches a client that does not). Unticked, nothing happens and the dashboard says why.
    /// Strangers get their 403 from the reset itself, so this only answers the class's instructors.
    /// </summary>
    private static async Task<IResult?> UnconfirmedAsync(HttpContext http, int classId, ResetService resets)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        if (string.Equals(form["confirm"], "true", StringComparison.OrdinalIgnoreCase) || !await resets.IsInstructorAsync(classId, http.User.UserId(), http.RequestAborted))
        {
            return null;
        }

        return PostRedirect.To($"/classes/{classId}/dashboard?reset=unconfirmed");
    }
}
