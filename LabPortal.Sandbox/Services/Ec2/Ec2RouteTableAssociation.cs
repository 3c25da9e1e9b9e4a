namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>A route table association: the VPC's main one, or one subnet's explicit one.</summary>
public sealed class Ec2RouteTableAssociation
{
    public string AssociationId { get; set; } = string.Empty;

    public bool Main { get; set; }

    /// <summary>The subnet of an explicit association; null for the main association.</summary>
    public string? SubnetId { get; set; }
}
