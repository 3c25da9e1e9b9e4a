namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>A public AMI of the sandbox's small catalogue.</summary>
public sealed record Ec2Image(
    string ImageId,
    string Name,
    string Description,
    string Architecture,
    string OwnerId,
    string OwnerAlias,
    string PlatformDetails,
    string CreationDate,
    IReadOnlyList<string> SsmParameterNames);
