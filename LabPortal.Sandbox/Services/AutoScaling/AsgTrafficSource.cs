namespace LabPortal.Sandbox.Services.AutoScaling;

/// <summary>
/// An attached target group. Both AttachLoadBalancerTargetGroups and AttachTrafficSources
/// (Type <c>elbv2</c>) attach one; AWS lets DetachLoadBalancerTargetGroups detach only the former
/// (aws-behaviour.md section 3), so the way it came in is kept.
/// </summary>
public sealed class AsgTrafficSource
{
    public string Identifier { get; set; } = string.Empty;

    public string Type { get; set; } = "elbv2";

    /// <summary><c>Adding</c>, <c>Added</c>, <c>InService</c>, <c>Removing</c>, <c>Removed</c>.</summary>
    public string State { get; set; } = "Adding";

    public bool ViaTrafficSources { get; set; }
}
