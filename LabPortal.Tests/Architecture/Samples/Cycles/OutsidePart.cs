using LabPortal.Tests.Architecture.Samples.Cycles.Left;

namespace LabPortal.Tests.Architecture.Samples.Cycles.Outside;

/// <summary>Outside uses Left, and nothing uses Outside: a dependency, not a cycle.</summary>
public static class OutsidePart
{
    public static int Measure(LeftPart left)
    {
        ArgumentNullException.ThrowIfNull(left);
        return left.Size;
    }
}
