namespace LabPortal.Infrastructure.Scopes;

/// <summary>
/// A typed way for a long-lived object (a singleton, a Blazor component, a hosted service) to use a scoped
/// service for one unit of work: <see cref="Begin"/> opens a new DI scope and hands out a lease of
/// <typeparamref name="TService"/> from it; disposing the lease ends the scope (and the DbContext in it).
/// Registered open-generic, so a class declares what it needs as <c>Scoped&lt;LabRunService&gt;</c> in its
/// constructor or <c>@inject</c>, never as an <see cref="IServiceProvider"/> lookup (docs/decisions/scoped-services-through-a-typed-lease.md).
/// </summary>
public sealed class Scoped<TService>(IServiceScopeFactory scopes)
    where TService : notnull
{
    /// <summary>A fresh <typeparamref name="TService"/> in a new scope; dispose the lease when the unit of work ends.</summary>
    public ScopedLease<TService> Begin()
    {
        var scope = scopes.CreateAsyncScope();
        try
        {
            return new ScopedLease<TService>(scope, scope.ServiceProvider.GetRequiredService<TService>());
        }
        catch
        {
            scope.Dispose();
            throw;
        }
    }
}
