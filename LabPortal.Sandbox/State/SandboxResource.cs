namespace LabPortal.Sandbox.State;

/// <summary>
/// A resource a learner created (defaults such as the default VPC are not listed), for "leave
/// nothing behind" scans: service (<c>ec2</c>), region, AWS resource type and id.
/// </summary>
public sealed record SandboxResource(string Service, string Region, string ResourceType, string ResourceId);
