using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LabPortal.Sandbox.DataPlane;

/// <summary>The data plane port's only request handler: route by Host header, 404 when nobody answers there.</summary>
internal sealed class DataPlaneFront(IDataPlaneRoutes routes, ILogger<DataPlaneFront> logger)
{
    public async Task HandleAsync(HttpContext context)
    {
        var host = context.Request.Host.Host.TrimEnd('.');
        var handler = host.Length == 0 ? null : routes.Resolve(host);
        if (handler is null)
        {
            await HttpForwarder.WriteTextAsync(context.Response, StatusCodes.Status404NotFound, $"404 Not Found: no load balancer or instance answers at '{host}'.");
            return;
        }

        try
        {
            await handler(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The browser went away.
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogError(ex, "Data plane handler for {Host} failed", host);
            await HttpForwarder.WriteTextAsync(context.Response, StatusCodes.Status502BadGateway, "502 Bad Gateway");
        }
    }
}
