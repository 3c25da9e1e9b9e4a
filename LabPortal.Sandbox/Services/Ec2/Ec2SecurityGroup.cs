namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>A VPC security group.</summary>
public sealed class Ec2SecurityGroup
{
    public string GroupId { get; set; } = string.Empty;

    public string GroupName { get; set; } = string.Empty;

    public string Description { get; set; } = string.Empty;

    public string VpcId { get; set; } = string.Empty;

    /// <summary>True for a VPC's <c>default</c> group, which cannot be deleted.</summary>
    public bool IsDefault { get; set; }

    public List<Ec2SecurityGroupRule> Ingress { get; set; } = [];

    public List<Ec2SecurityGroupRule> Egress { get; set; } = [];

    public Dictionary<string, string> Tags { get; set; } = [];
}
