namespace LabPortal.Sandbox.Services.Elbv2;

/// <summary>A target group of a forward action with its weight (0..999).</summary>
public sealed class Elbv2WeightedTargetGroup
{
    public string TargetGroupArn { get; set; } = string.Empty;

    public int Weight { get; set; } = 1;
}
