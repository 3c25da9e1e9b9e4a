using LabPortal.Sandbox.Runtime.Guest;
using Microsoft.Extensions.Logging;

namespace LabPortal.Sandbox.Runtime;

/// <summary>
/// Creates the OS of sandbox instances. Register it once:
/// <c>services.TryAddSingleton&lt;IMachineFactory, MachineFactory&gt;()</c>. It needs an
/// <see cref="ILoggerFactory"/> (every host has one); <see cref="TimeProvider"/> is used when
/// registered and defaults to the system clock, because ASP.NET Core does not register one.
/// </summary>
public sealed class MachineFactory : IMachineFactory
{
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _timeProvider;

    // One constructor, so the container cannot silently pick a lesser one; a default parameter
    // value is what Microsoft.Extensions.DependencyInjection uses when a service is not registered.
    public MachineFactory(ILoggerFactory loggerFactory, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _loggerFactory = loggerFactory;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    public IMachine Create(InstanceMetadata metadata, MachineState? restored)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return new SandboxMachine(metadata, restored, _loggerFactory, _timeProvider);
    }
}
