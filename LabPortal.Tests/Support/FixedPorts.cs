namespace LabPortal.Tests.Support;

/// <summary>Tests that bind the documented default ports (5000, 4566, 8080) run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FixedPorts
{
    public const string Name = "Fixed ports";
}
