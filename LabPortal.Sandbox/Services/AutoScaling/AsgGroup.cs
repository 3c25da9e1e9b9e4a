namespace LabPortal.Sandbox.Services.AutoScaling;

/// <summary>An Auto Scaling group as CreateAutoScalingGroup and later calls shaped it.</summary>
public sealed class AsgGroup
{
    public string Name { get; set; } = string.Empty;

    public string Arn { get; set; } = string.Empty;

    public string? LaunchTemplateId { get; set; }

    public string? LaunchTemplateName { get; set; }

    /// <summary>As the caller gave it (<c>$Default</c>, <c>$Latest</c> or a number; null when not given, meaning the default version); AWS echoes it unchanged.</summary>
    public string? LaunchTemplateVersion { get; set; }

    public int MinSize { get; set; }

    public int MaxSize { get; set; }

    public int DesiredCapacity { get; set; }

    public int DefaultCooldown { get; set; } = 300;

    public List<string> AvailabilityZones { get; set; } = [];

    /// <summary>The subnets of <c>VPCZoneIdentifier</c>, in the caller's order (empty when only zones were given).</summary>
    public List<string> SubnetIds { get; set; } = [];

    /// <summary><c>EC2</c>, <c>ELB</c> or a comma-separated list, as given.</summary>
    public string HealthCheckType { get; set; } = "EC2";

    public int HealthCheckGracePeriod { get; set; }

    public DateTimeOffset CreatedTime { get; set; }

    public List<AsgTag> Tags { get; set; } = [];

    /// <summary>Instances launched from now on are protected from scale-in.</summary>
    public bool NewInstancesProtectedFromScaleIn { get; set; }

    public bool CapacityRebalance { get; set; }

    public List<AsgTrafficSource> TrafficSources { get; set; } = [];

    public List<AsgInstance> Instances { get; set; } = [];

    /// <summary>ForceDelete was requested: the controller drains the group, then removes it (Status "Delete in progress").</summary>
    public bool Deleting { get; set; }

    /// <summary>The user request that last changed the desired capacity, quoted at the start of the next launch or termination's Cause.</summary>
    public string? CapacityCause { get; set; }

    /// <summary>After a failed launch the controller waits until then before trying again (AWS backs off too).</summary>
    public DateTimeOffset? LaunchRetryAt { get; set; }

    public bool UsesElbHealthCheck =>
        HealthCheckType.Split(',').Any(t => string.Equals(t.Trim(), "ELB", StringComparison.Ordinal));
}
