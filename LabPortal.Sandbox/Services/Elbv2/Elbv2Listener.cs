namespace LabPortal.Sandbox.Services.Elbv2;

/// <summary>An HTTP listener; its default actions are the default rule's (<see cref="DefaultRuleArn"/>).</summary>
public sealed class Elbv2Listener
{
    public string Arn { get; set; } = string.Empty;

    public string LoadBalancerArn { get; set; } = string.Empty;

    public int Port { get; set; }

    public string Protocol { get; set; } = "HTTP";

    public List<Elbv2Action> DefaultActions { get; set; } = [];

    public string DefaultRuleArn { get; set; } = string.Empty;

    public Dictionary<string, string> Tags { get; set; } = [];

    /// <summary>Tags of the default rule (it is stored with its listener).</summary>
    public Dictionary<string, string> DefaultRuleTags { get; set; } = [];
}
