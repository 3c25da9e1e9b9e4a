using LabPortal.Tests.Architecture.Samples.WrongWeb.Features.Alpha;
using Microsoft.AspNetCore.Components;

namespace LabPortal.Tests.Architecture.Samples.WrongWeb.Components;

/// <summary>A component that only renders what a service gives it: allowed.</summary>
public sealed class PanelUsingAService : ComponentBase
{
    [Inject]
    public AlphaService Alpha { get; set; } = null!;

    public string Title => Alpha.Name;
}
