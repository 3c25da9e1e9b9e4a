namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>A VPC (only the default VPC exists: ARCHITECTURE.md "regions").</summary>
public sealed class Ec2Vpc
{
    public string VpcId { get; set; } = string.Empty;

    public string CidrBlock { get; set; } = string.Empty;

    public bool IsDefault { get; set; }

    public string DhcpOptionsId { get; set; } = string.Empty;

    public string CidrAssociationId { get; set; } = string.Empty;

    public Dictionary<string, string> Tags { get; set; } = [];
}
