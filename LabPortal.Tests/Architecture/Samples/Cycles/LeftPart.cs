using LabPortal.Tests.Architecture.Samples.Cycles.Right;

namespace LabPortal.Tests.Architecture.Samples.Cycles.Left;

/// <summary>Left uses Right only inside a method body (a sample for the namespace cycle rule) ...</summary>
public sealed class LeftPart
{
    public int Size { get; } = 3;

    public int Measure() => new RightPart().Count + Size;
}
