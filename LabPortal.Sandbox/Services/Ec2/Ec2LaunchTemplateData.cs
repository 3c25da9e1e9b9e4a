namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>The launch parameters a launch template version holds (the subset labs use).</summary>
public sealed class Ec2LaunchTemplateData
{
    public string? ImageId { get; set; }

    public string? InstanceType { get; set; }

    public string? KeyName { get; set; }

    /// <summary><c>IamInstanceProfile.Name</c>, or null.</summary>
    public string? IamInstanceProfileName { get; set; }

    /// <summary><c>IamInstanceProfile.Arn</c>, or null.</summary>
    public string? IamInstanceProfileArn { get; set; }

    /// <summary>Base64, as sent.</summary>
    public string? UserData { get; set; }

    public List<string> SecurityGroupIds { get; set; } = [];

    public List<string> SecurityGroupNames { get; set; } = [];

    /// <summary>Tags to put on launched resources, by resource type (<c>instance</c>, <c>volume</c>, ...).</summary>
    public Dictionary<string, Dictionary<string, string>> TagSpecifications { get; set; } = [];

    /// <summary>From <c>NetworkInterface.1</c>: subnet, public IP choice and groups of the primary interface.</summary>
    public string? SubnetId { get; set; }

    public bool? AssociatePublicIpAddress { get; set; }

    public string? AvailabilityZone { get; set; }
}
