using LabPortal.Tests.Architecture.Samples.WrongWeb.Features.Alpha;

namespace LabPortal.Tests.Architecture.Samples.WrongWeb.Features.Beta;

/// <summary>... and Beta uses Alpha: a cycle.</summary>
public sealed class BetaService
{
    public int Size { get; init; }

    public string Owner(AlphaService alpha)
    {
        ArgumentNullException.ThrowIfNull(alpha);
        return $"{alpha.Name} ({Size})";
    }
}
