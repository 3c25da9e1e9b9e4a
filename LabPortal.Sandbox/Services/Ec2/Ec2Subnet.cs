namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>A subnet; the default VPC has one default public subnet per Availability Zone.</summary>
public sealed class Ec2Subnet
{
    public string SubnetId { get; set; } = string.Empty;

    public string VpcId { get; set; } = string.Empty;

    public string CidrBlock { get; set; } = string.Empty;

    public string AvailabilityZone { get; set; } = string.Empty;

    public string AvailabilityZoneId { get; set; } = string.Empty;

    public bool DefaultForAz { get; set; }

    public bool MapPublicIpOnLaunch { get; set; }

    public Dictionary<string, string> Tags { get; set; } = [];
}
