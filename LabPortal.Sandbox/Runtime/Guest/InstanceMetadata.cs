namespace LabPortal.Sandbox.Runtime.Guest;

/// <summary>What an instance's scripts read from the instance metadata service.</summary>
public sealed record InstanceMetadata(
    string InstanceId,
    string Region,
    string AvailabilityZone,
    string InstanceType,
    string ImageId,
    string LocalIpv4,
    string LocalHostname,
    string? PublicIpv4,
    string? PublicHostname);
