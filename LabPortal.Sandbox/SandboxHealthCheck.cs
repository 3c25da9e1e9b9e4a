using LabPortal.Sandbox.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace LabPortal.Sandbox;

/// <summary>Unhealthy when the sandbox is enabled but its servers are not listening.</summary>
public sealed class SandboxHealthCheck(SandboxEndpoints endpoints, IOptions<SandboxOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!options.Value.Enabled)
        {
            return Task.FromResult(HealthCheckResult.Healthy("The sandbox is disabled."));
        }

        return Task.FromResult(endpoints.IsListening
            ? HealthCheckResult.Healthy($"API {endpoints.Api}, data plane {endpoints.DataPlane}")
            : HealthCheckResult.Unhealthy("The sandbox servers are not listening."));
    }
}
