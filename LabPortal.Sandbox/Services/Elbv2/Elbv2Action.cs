namespace LabPortal.Sandbox.Services.Elbv2;

/// <summary>A listener or rule action: <c>forward</c> (one or weighted target groups) or <c>fixed-response</c>.</summary>
public sealed class Elbv2Action
{
    public string Type { get; set; } = "forward";

    public int? Order { get; set; }

    /// <summary>Set when the action was given with a single <c>TargetGroupArn</c> (AWS echoes it then).</summary>
    public string? TargetGroupArn { get; set; }

    public List<Elbv2WeightedTargetGroup> TargetGroups { get; set; } = [];

    public bool StickinessEnabled { get; set; }

    public int? StickinessDurationSeconds { get; set; }

    public string? FixedStatusCode { get; set; }

    public string? FixedContentType { get; set; }

    public string? FixedMessageBody { get; set; }
}
