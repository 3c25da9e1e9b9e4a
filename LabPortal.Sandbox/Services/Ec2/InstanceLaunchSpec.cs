namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>
/// What to launch, as RunInstances takes it. Auto Scaling fills <see cref="LaunchTemplateId"/> or
/// <see cref="LaunchTemplateName"/> (+ <see cref="LaunchTemplateVersion"/>) and a subnet; the
/// explicit fields override the template's, as in RunInstances.
/// </summary>
public sealed record InstanceLaunchSpec
{
    public string? ImageId { get; init; }

    public string? InstanceType { get; init; }

    public int MinCount { get; init; } = 1;

    public int MaxCount { get; init; } = 1;

    public string? SubnetId { get; init; }

    public string? AvailabilityZone { get; init; }

    public IReadOnlyList<string> SecurityGroupIds { get; init; } = [];

    public IReadOnlyList<string> SecurityGroupNames { get; init; } = [];

    /// <summary>Base64, as RunInstances takes it.</summary>
    public string? UserData { get; init; }

    public string? KeyName { get; init; }

    /// <summary>RunInstances' <c>IamInstanceProfile.Name</c>, or null.</summary>
    public string? IamInstanceProfileName { get; init; }

    /// <summary>RunInstances' <c>IamInstanceProfile.Arn</c>, or null.</summary>
    public string? IamInstanceProfileArn { get; init; }

    /// <summary>Tags for the instances (TagSpecification with ResourceType=instance).</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Tags an AWS service sets on the instances it launches, which may use the reserved
    /// <c>aws:</c> prefix users cannot (Auto Scaling's <c>aws:autoscaling:groupName</c>).
    /// </summary>
    public IReadOnlyDictionary<string, string> SystemTags { get; init; } = new Dictionary<string, string>();

    public string? ClientToken { get; init; }

    public string? LaunchTemplateId { get; init; }

    public string? LaunchTemplateName { get; init; }

    public string? LaunchTemplateVersion { get; init; }

    public bool? AssociatePublicIpAddress { get; init; }

    public bool DisableApiTermination { get; init; }

    public bool DisableApiStop { get; init; }

    /// <summary>RunInstances' <c>PrivateIpAddress</c>: the primary address asked for, or null for one EC2 chooses.</summary>
    public string? PrivateIpAddress { get; init; }

    /// <summary><c>Monitoring.Enabled</c>: detailed monitoring, echoed as <c>monitoring.state</c>.</summary>
    public bool MonitoringEnabled { get; init; }

    public bool EbsOptimized { get; init; }

    /// <summary><c>HibernationOptions.Configured</c>.</summary>
    public bool HibernationConfigured { get; init; }
}
