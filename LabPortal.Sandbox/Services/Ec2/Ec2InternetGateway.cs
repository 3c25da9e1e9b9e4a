namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>An internet gateway; attached to at most one VPC (<see cref="VpcId"/>), a VPC has at most one.</summary>
public sealed class Ec2InternetGateway
{
    public string InternetGatewayId { get; set; } = string.Empty;

    /// <summary>The VPC it is attached to, or null when detached.</summary>
    public string? VpcId { get; set; }

    /// <summary>The default VPC's gateway, seeded with the region.</summary>
    public bool IsDefault { get; set; }

    public Dictionary<string, string> Tags { get; set; } = [];
}
