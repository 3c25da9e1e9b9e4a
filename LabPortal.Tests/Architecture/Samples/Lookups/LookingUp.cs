using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.Architecture.Samples.Lookups.Features.Gamma;

/// <summary>Breaks "features declare their services": takes a scope factory and looks a service up in a lambda (a sample for the lookup rule).</summary>
public sealed class LookingUp(IServiceScopeFactory scopes)
{
    public Func<TimeProvider> Clock => () =>
    {
        using var scope = scopes.CreateScope();
        return scope.ServiceProvider.GetRequiredService<TimeProvider>();
    };
}
