using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.Architecture.Samples.Lookups.Features.Exempt;

/// <summary>Looks a service up, in a namespace the check is told to leave out.</summary>
public sealed class ExemptLookingUp(IServiceProvider services)
{
    public TimeProvider Clock => services.GetRequiredService<TimeProvider>();
}
