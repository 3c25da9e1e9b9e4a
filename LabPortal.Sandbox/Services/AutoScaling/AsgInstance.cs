namespace LabPortal.Sandbox.Services.AutoScaling;

/// <summary>An instance the group launched (or is terminating), with its Auto Scaling lifecycle and health.</summary>
public sealed class AsgInstance
{
    public string InstanceId { get; set; } = string.Empty;

    public string InstanceType { get; set; } = string.Empty;

    public string ImageId { get; set; } = string.Empty;

    public string AvailabilityZone { get; set; } = string.Empty;

    /// <summary><c>Pending</c>, <c>InService</c>, <c>Terminating</c> (aws-behaviour.md section 3, lifecycle states).</summary>
    public string LifecycleState { get; set; } = AsgLifecycle.Pending;

    /// <summary><c>Healthy</c> or <c>Unhealthy</c>.</summary>
    public string HealthStatus { get; set; } = "Healthy";

    public string? LaunchTemplateId { get; set; }

    public string? LaunchTemplateName { get; set; }

    public string? LaunchTemplateVersion { get; set; }

    public DateTimeOffset LaunchedAt { get; set; }

    /// <summary>Scale-in protection, from the group's <c>NewInstancesProtectedFromScaleIn</c> at launch.</summary>
    public bool ProtectedFromScaleIn { get; set; }

    /// <summary>When the instance reached InService: the health check grace period counts from here.</summary>
    public DateTimeOffset? InServiceAt { get; set; }

    /// <summary>The activity that launches or terminates the instance, completed when EC2 reports the outcome.</summary>
    public string? ActivityId { get; set; }
}
