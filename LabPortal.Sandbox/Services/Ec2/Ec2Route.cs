namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>One route: a destination block and its target (<c>local</c> or an internet gateway id).</summary>
public sealed class Ec2Route
{
    public string DestinationCidrBlock { get; set; } = string.Empty;

    /// <summary><c>local</c> for the VPC's own block, otherwise an <c>igw-</c> id.</summary>
    public string GatewayId { get; set; } = string.Empty;

    /// <summary><c>CreateRouteTable</c> for the local route, <c>CreateRoute</c> for the ones users add.</summary>
    public string Origin { get; set; } = "CreateRoute";
}
