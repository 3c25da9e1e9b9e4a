namespace LabPortal.Sandbox.Services.Elbv2;

/// <summary>An Application Load Balancer; <c>provisioning</c> until <see cref="ActiveAt"/>, then <c>active</c>.</summary>
public sealed class Elbv2LoadBalancer
{
    public string Arn { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    public string DnsName { get; set; } = string.Empty;

    public string Scheme { get; set; } = "internet-facing";

    public string Type { get; set; } = "application";

    public string IpAddressType { get; set; } = "ipv4";

    public string VpcId { get; set; } = string.Empty;

    public List<Elbv2Zone> Zones { get; set; } = [];

    public List<string> SecurityGroups { get; set; } = [];

    public DateTimeOffset CreatedTime { get; set; }

    /// <summary>When provisioning ends: creation plus AWS's provisioning time divided by the time scale (aws-behaviour.md 6).</summary>
    public DateTimeOffset ActiveAt { get; set; }

    public Dictionary<string, string> Attributes { get; set; } = Elbv2Attributes.LoadBalancerDefaults();

    public Dictionary<string, string> Tags { get; set; } = [];

    public bool IsActive(DateTimeOffset now) => now >= ActiveAt;
}
