using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace LabPortal.Aws.Core;

/// <summary>Registers LabPortal.Aws's shared pieces with a DI container (no ASP.NET Core needed).</summary>
public static class AwsServiceCollectionExtensions
{
    /// <summary>
    /// Adds a shared <see cref="AwsRateLimiter"/>, <see cref="AwsMetrics"/> on the container's
    /// <see cref="IMeterFactory"/> when there is one, the <see cref="AwsCallTelemetry"/> the generated
    /// clients log and count with, and <see cref="TimeProvider.System"/> unless another clock is registered.
    /// The portal builds one cached set of clients per learner credential on top of them.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The same collection.</returns>
    public static IServiceCollection AddLabPortalAws(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new AwsRateLimiter(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new AwsMetrics(sp.GetService<IMeterFactory>()));
        services.TryAddSingleton(sp => new AwsCallTelemetry(
            sp.GetRequiredService<AwsMetrics>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger("LabPortal.Aws")));
        return services;
    }
}
