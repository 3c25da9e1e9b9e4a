namespace LabPortal.Infrastructure;

/// <summary>
/// Runs a piece of work with a scoped service from a fresh scope, for singletons that outlive any one
/// request (a live panel's poller ticking every two seconds): the scope is opened and disposed here, so
/// feature code asks for its typed service and never for the container.
/// </summary>
public sealed class ScopedRunner<TService>(IServiceScopeFactory scopes)
    where TService : notnull
{
    public async Task<TResult> RunAsync<TResult>(Func<TService, CancellationToken, Task<TResult>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var scope = scopes.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<TService>(), cancellationToken);
    }
}
