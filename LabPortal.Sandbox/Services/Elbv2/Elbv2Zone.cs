namespace LabPortal.Sandbox.Services.Elbv2;

/// <summary>One subnet (one per Availability Zone) a load balancer is attached to.</summary>
public sealed class Elbv2Zone
{
    public string ZoneName { get; set; } = string.Empty;

    public string SubnetId { get; set; } = string.Empty;
}
