namespace LabPortal.Tests.Architecture.Samples.Lookups.Features.Delta;

/// <summary>Keeps the rule: its one dependency is declared in its constructor.</summary>
public sealed class Declared(TimeProvider time)
{
    public DateTimeOffset Now => time.GetUtcNow();
}
