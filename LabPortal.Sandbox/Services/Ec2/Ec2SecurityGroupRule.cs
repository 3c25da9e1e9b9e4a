namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>
/// One security group rule with exactly one peer (a CIDR or a group), as EC2's
/// <c>SecurityGroupRule</c>; the API regroups rules into <c>IpPermissions</c> on output.
/// </summary>
public sealed class Ec2SecurityGroupRule
{
    public string RuleId { get; set; } = string.Empty;

    /// <summary><c>tcp</c>, <c>udp</c>, <c>icmp</c>, <c>-1</c> (all) or a protocol number.</summary>
    public string IpProtocol { get; set; } = "-1";

    public int? FromPort { get; set; }

    public int? ToPort { get; set; }

    public string? CidrIpv4 { get; set; }

    public string? CidrIpv6 { get; set; }

    public string? ReferencedGroupId { get; set; }

    public string? Description { get; set; }

    /// <summary>Same protocol, ports and peer: AWS treats such rules as duplicates whatever the description.</summary>
    public bool SameAs(Ec2SecurityGroupRule other) =>
        IpProtocol == other.IpProtocol && FromPort == other.FromPort && ToPort == other.ToPort
        && CidrIpv4 == other.CidrIpv4 && CidrIpv6 == other.CidrIpv6 && ReferencedGroupId == other.ReferencedGroupId;
}
