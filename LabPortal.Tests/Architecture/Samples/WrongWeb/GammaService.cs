using LabPortal.Tests.Architecture.Samples.WrongWeb.Features.Alpha;

namespace LabPortal.Tests.Architecture.Samples.WrongWeb.Features.Gamma;

/// <summary>Gamma uses Alpha one way only: allowed.</summary>
public sealed class GammaService(AlphaService alpha)
{
    public string Name => alpha.Name;
}
