using LabPortal.Tests.Architecture.Samples.Cycles.Left;

namespace LabPortal.Tests.Architecture.Samples.Cycles.Right;

/// <summary>... and Right names Left only as a generic argument: a cycle all the same.</summary>
public sealed class RightPart
{
    private readonly List<Func<LeftPart>> _makers = [];

    public int Count => _makers.Count;
}
