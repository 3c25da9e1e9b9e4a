namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>
/// A VPC route table: its routes (the VPC's <c>local</c> route first) and its associations (the
/// VPC's main association, or subnets associated explicitly).
/// </summary>
public sealed class Ec2RouteTable
{
    public string RouteTableId { get; set; } = string.Empty;

    public string VpcId { get; set; } = string.Empty;

    public List<Ec2Route> Routes { get; set; } = [];

    public List<Ec2RouteTableAssociation> Associations { get; set; } = [];

    public Dictionary<string, string> Tags { get; set; } = [];

    public bool IsMain => Associations.Any(a => a.Main);
}
