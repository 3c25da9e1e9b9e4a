using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace LabPortal.Aws.Core;

/// <summary>Registers LabPortal.Aws with a DI container (no ASP.NET Core needed).</summary>
public static class AwsServiceCollectionExtensions
{
    /// <summary>
    /// Adds a singleton <see cref="AwsClientFactory"/> with one pooled HTTP client (connections
    /// recycled every five minutes so DNS changes are seen), a shared <see cref="AwsRateLimiter"/>,
    /// <see cref="AwsMetrics"/> on the container's <see cref="IMeterFactory"/> when there is one, and
    /// <see cref="TimeProvider.System"/> unless another clock is registered.
    /// The portal builds one cached set of clients per learner credential on top of it.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The same collection.</returns>
    public static IServiceCollection AddLabPortalAws(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new AwsRateLimiter(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new AwsMetrics(sp.GetService<IMeterFactory>()));
        services.TryAddSingleton(sp => new AwsClientFactory(
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }),
            sp.GetService<ILoggerFactory>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<AwsRateLimiter>(),
            sp.GetRequiredService<AwsMetrics>()));
        return services;
    }
}
