using LabPortal.Tests.Architecture.Samples.WrongWeb.Features.Beta;
using LabPortal.Tests.Architecture.Samples.WrongWeb.Infrastructure;

namespace LabPortal.Tests.Architecture.Samples.WrongWeb.Features.Alpha;

/// <summary>Alpha uses Beta ...</summary>
public sealed class AlphaService
{
    private readonly string _name = " alpha ";

    public string Name => SharedHelper.Tidy(_name);

    public int Count(BetaService beta)
    {
        ArgumentNullException.ThrowIfNull(beta);
        return beta.Size + _name.Length;
    }
}
