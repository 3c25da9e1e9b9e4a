namespace LabPortal.Sandbox.Services.Elbv2;

/// <summary>A rule condition: <c>path-pattern</c> or <c>host-header</c> with its values (any value matches).</summary>
public sealed class Elbv2Condition
{
    public string Field { get; set; } = string.Empty;

    public List<string> Values { get; set; } = [];
}
