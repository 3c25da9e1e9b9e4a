using LabPortal.Infrastructure.Data;
using LabPortal.Infrastructure.Scopes;
using LabPortal.Infrastructure.Web;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.EntityFrameworkCore;

namespace LabPortal.Features.LabRuns;

/// <summary>
/// A form posted to a run page (<c>/runs/{RunId}/...</c>) of a run that is not the signed-in user's,
/// or that does not exist, is answered exactly as the page's GET is (404, the not-found page). Without
/// this, Blazor finds no form of that name on the page (the page renders none for a foreign run)
/// and answers an empty 400. The post is turned into a GET before antiforgery and form dispatch,
/// so nothing of it is read or run, and both cases look the same, so the answer does not tell
/// whether the run exists.
/// </summary>
public sealed class ForeignRunPosts(RequestDelegate next, Scoped<PortalDbContext> databases)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (HttpMethods.IsPost(context.Request.Method)
            && context.User.Identity?.IsAuthenticated == true
            && context.GetEndpoint()?.Metadata.GetMetadata<ComponentTypeMetadata>() is not null
            && context.GetRouteValue("RunId") is { } routeValue
            && !await OwnsAsync(context, routeValue))
        {
            context.Request.Method = HttpMethods.Get;
            context.Request.Body = Stream.Null;
            context.Request.ContentLength = 0;
            context.Request.ContentType = null;
        }

        await next(context);
    }

    private async Task<bool> OwnsAsync(HttpContext context, object routeValue)
    {
        if (!int.TryParse(Convert.ToString(routeValue, System.Globalization.CultureInfo.InvariantCulture), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var runId))
        {
            return false;
        }

        var userId = context.User.UserId();
        await using var db = databases.Begin();
        return await db.Service.LabRuns.AnyAsync(r => r.Id == runId && r.UserId == userId, context.RequestAborted);
    }
}
