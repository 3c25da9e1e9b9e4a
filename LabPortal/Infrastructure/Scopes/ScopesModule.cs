namespace LabPortal.Infrastructure.Scopes;

/// <summary>Registers <see cref="Scoped{TService}"/> for every service type (open generic, one per type, shared).</summary>
public static class ScopesModule
{
    public static IServiceCollection AddScopedLeases(this IServiceCollection services) =>
        services.AddSingleton(typeof(Scoped<>));
}
