namespace LabPortal.Sandbox.Services.AutoScaling;

/// <summary>A scaling activity as DescribeScalingActivities reports it.</summary>
public sealed class AsgActivity
{
    public string ActivityId { get; set; } = string.Empty;

    public string GroupName { get; set; } = string.Empty;

    public string GroupArn { get; set; } = string.Empty;

    public string Description { get; set; } = string.Empty;

    public string Cause { get; set; } = string.Empty;

    public DateTimeOffset StartTime { get; set; }

    public DateTimeOffset? EndTime { get; set; }

    /// <summary><c>PreInService</c>, <c>InProgress</c>, <c>Successful</c>, <c>Failed</c> (ScalingActivityStatusCode).</summary>
    public string StatusCode { get; set; } = "InProgress";

    public string? StatusMessage { get; set; }

    public int Progress { get; set; }

    /// <summary>A JSON string, as AWS gives it: <c>{"Subnet ID":"subnet-..","Availability Zone":"ap-northeast-2a"}</c>.</summary>
    public string Details { get; set; } = "{}";

    /// <summary>The group was deleted since (AutoScalingGroupState <c>Deleted</c>; shown only with IncludeDeletedGroups).</summary>
    public bool GroupDeleted { get; set; }
}
