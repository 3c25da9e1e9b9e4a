using System.Text.Json;
using Hangfire;
using LabPortal.Infrastructure.Data;
using LabPortal.Infrastructure.Jobs;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace LabPortal.Infrastructure.Health;

public static class HealthModule
{
    public static IHostApplicationBuilder AddPortalHealthChecks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddDbContextCheck<PortalDbContext>("database")
            .AddCheck<JobsHealthCheck>("jobs");
        return builder;
    }

    /// <summary><c>/healthz</c>: 200 when every check is healthy, 503 otherwise, with a JSON body per check.</summary>
    public static IEndpointRouteBuilder MapPortalHealthChecks(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = WriteJsonAsync }).AllowAnonymous();
        return app;
    }

    private static Task WriteJsonAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description, data = e.Value.Data }),
        });
    }
}

/// <summary>
/// Healthy while this portal's Hangfire server runs with its workers and its storage answers: the
/// description names the server, its worker count, the storage and what waits in it.
/// </summary>
public sealed class JobsHealthCheck(JobServer server, JobStorage storage, JobStorageInfo storageInfo, IOptions<JobsOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (server.Server is null)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"The job server {server.Name} is not running."));
        }

        try
        {
            var monitoring = storage.GetMonitoringApi();
            var alive = monitoring.Servers().FirstOrDefault(s => s.Name.StartsWith(server.Name, StringComparison.Ordinal));
            var data = new Dictionary<string, object>
            {
                ["server"] = server.Name,
                ["workers"] = alive?.WorkersCount ?? 0,
                ["storage"] = storageInfo.Kind.ToString(),
                ["enqueued"] = monitoring.EnqueuedCount("default"),
                ["scheduled"] = monitoring.ScheduledCount(),
                ["processing"] = monitoring.ProcessingCount(),
                ["failed"] = monitoring.FailedCount(),
            };
            if (alive is null)
            {
                // Registered at start and every heartbeat; absent means the server is not heartbeating.
                return Task.FromResult(HealthCheckResult.Unhealthy($"The job server {server.Name} is not registered in the {storageInfo.Kind} storage.", data: data));
            }

            return Task.FromResult(HealthCheckResult.Healthy(
                $"Hangfire server {server.Name}: {alive.WorkersCount} of {options.Value.MaxConcurrency} workers, last heartbeat {alive.Heartbeat:O}; {storageInfo.Kind} storage answers.", data));
        }
        catch (Exception e)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"The {storageInfo.Kind} job storage does not answer: {e.Message}", e));
        }
    }
}
