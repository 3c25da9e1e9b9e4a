using LabPortal.Tests.Architecture.Samples.WrongWeb.Features.Alpha;

namespace LabPortal.Tests.Architecture.Samples.WrongWeb.Infrastructure;

/// <summary>Infrastructure reaching up into a feature.</summary>
public static class InfrastructureUsingAFeature
{
    public static string Describe(AlphaService alpha)
    {
        ArgumentNullException.ThrowIfNull(alpha);
        return alpha.Name;
    }
}
