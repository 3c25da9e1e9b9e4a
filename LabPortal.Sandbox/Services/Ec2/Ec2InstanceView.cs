namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>A read-only copy of an instance for other services (taken under the account's lock).</summary>
public sealed record Ec2InstanceView(
    string AccountId,
    string Region,
    string InstanceId,
    Ec2InstanceState State,
    string AvailabilityZone,
    string SubnetId,
    string VpcId,
    string PrivateIpAddress,
    string? PublicIpAddress,
    string? PublicDnsName,
    string PrivateDnsName,
    string ImageId,
    string InstanceType,
    DateTimeOffset LaunchTime,
    IReadOnlyList<string> SecurityGroupIds,
    IReadOnlyDictionary<string, string> Tags)
{
    /// <summary>The instance profile's ARN, or null: without one the SSM Agent cannot register (not a managed instance).</summary>
    public string? IamInstanceProfileArn { get; init; }
}
