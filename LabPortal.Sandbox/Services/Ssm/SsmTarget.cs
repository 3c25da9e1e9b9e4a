namespace LabPortal.Sandbox.Services.Ssm;

/// <summary>One of SendCommand's <c>Targets</c>: <c>InstanceIds</c>, <c>tag:Key</c> or <c>tag-key</c> with its values.</summary>
public sealed class SsmTarget
{
    public string Key { get; set; } = string.Empty;

    public List<string> Values { get; set; } = [];
}
