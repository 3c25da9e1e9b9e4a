namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>One numbered version of a launch template.</summary>
public sealed class Ec2LaunchTemplateVersion
{
    public long VersionNumber { get; set; }

    public string? Description { get; set; }

    public DateTimeOffset CreateTime { get; set; }

    public Ec2LaunchTemplateData Data { get; set; } = new();
}
