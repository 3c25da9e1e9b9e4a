using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace LabPortal.Sandbox.DataPlane;

/// <summary>The thread-safe route table behind <see cref="IDataPlaneRoutes"/>.</summary>
public sealed class DataPlaneRoutes : IDataPlaneRoutes
{
    private readonly ConcurrentDictionary<string, RequestDelegate> _hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<Func<string, RequestDelegate?>> _resolvers = [];
    private readonly Lock _resolversLock = new();

    public IDisposable Map(string hostName, RequestDelegate handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(hostName);
        _hosts[hostName] = handler;
        return new Removal(() => _hosts.TryRemove(new KeyValuePair<string, RequestDelegate>(hostName, handler)));
    }

    public IDisposable AddResolver(Func<string, RequestDelegate?> resolver)
    {
        lock (_resolversLock)
        {
            _resolvers.Add(resolver);
        }

        return new Removal(() =>
        {
            lock (_resolversLock)
            {
                _resolvers.Remove(resolver);
            }
        });
    }

    public RequestDelegate? Resolve(string hostName)
    {
        if (_hosts.TryGetValue(hostName, out var handler))
        {
            return handler;
        }

        Func<string, RequestDelegate?>[] resolvers;
        lock (_resolversLock)
        {
            resolvers = [.. _resolvers];
        }

        foreach (var resolver in resolvers)
        {
            if (resolver(hostName) is { } resolved)
            {
                return resolved;
            }
        }

        return null;
    }

    private sealed class Removal(Action remove) : IDisposable
    {
        private Action? _remove = remove;

        public void Dispose() => Interlocked.Exchange(ref _remove, null)?.Invoke();
    }
}
