using LabPortal.Sandbox.Accounts;
using LabPortal.Sandbox.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace LabPortal.Sandbox;

/// <summary>The sandbox's endpoints on the portal's own pipeline: <c>app.MapSandbox()</c>.</summary>
public static class SandboxStatusEndpoints
{
    /// <summary>Maps <c>GET /sandbox/status</c>: endpoints, account count and time scale (read-only, no secrets).</summary>
    public static IEndpointRouteBuilder MapSandbox(this IEndpointRouteBuilder app)
    {
        app.MapGet("/sandbox/status", (SandboxEndpoints endpoints, SandboxAccountStore accounts, IOptions<SandboxOptions> options) =>
            TypedResults.Ok(new SandboxStatus(
                options.Value.Enabled,
                endpoints.IsListening,
                endpoints.IsListening ? endpoints.Api : null,
                endpoints.IsListening ? endpoints.DataPlane : null,
                accounts.Count,
                options.Value.TimeScale)));
        return app;
    }
}
