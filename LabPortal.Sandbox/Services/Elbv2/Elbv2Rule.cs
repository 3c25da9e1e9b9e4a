namespace LabPortal.Sandbox.Services.Elbv2;

/// <summary>A listener rule with a priority (1..50000), conditions and actions (the default rule lives on the listener).</summary>
public sealed class Elbv2Rule
{
    public string Arn { get; set; } = string.Empty;

    public string ListenerArn { get; set; } = string.Empty;

    public int Priority { get; set; }

    public List<Elbv2Condition> Conditions { get; set; } = [];

    public List<Elbv2Action> Actions { get; set; } = [];

    public Dictionary<string, string> Tags { get; set; } = [];
}
