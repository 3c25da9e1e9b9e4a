namespace LabPortal.Infrastructure.Scopes;

/// <summary>A scoped service on loan from <see cref="Scoped{TService}"/>: valid until disposed, which ends its scope.</summary>
public sealed class ScopedLease<TService>(AsyncServiceScope scope, TService service) : IAsyncDisposable, IDisposable
    where TService : notnull
{
    public TService Service { get; } = service;

    public ValueTask DisposeAsync() => scope.DisposeAsync();

    public void Dispose() => scope.Dispose();
}
