using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LabPortal.Infrastructure.Cloud;

/// <summary>
/// With a standalone sandbox: healthy while it answers its admin API with this portal's key; unhealthy, naming why,
/// when it is unreachable or refuses the key (the portal keeps serving pages; steps retry and then say the cloud is down).
/// </summary>
public sealed class ExternalSandboxHealthCheck(RemoteSandboxAccounts sandbox, SandboxConnection connection) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var status = await sandbox.StatusAsync(cancellationToken);
            return status is null
                ? HealthCheckResult.Unhealthy($"The standalone sandbox at {connection.Api} has no admin status (is it a sandbox?).")
                : HealthCheckResult.Healthy($"Standalone sandbox at {connection.Api}: data plane {status.DataPlane}, {status.Accounts} account(s), time scale {status.TimeScale}.");
        }
        catch (SandboxUnavailableException e)
        {
            return HealthCheckResult.Unhealthy(e.Detail ?? e.Message);
        }
    }
}
