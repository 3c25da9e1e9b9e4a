namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>A launch template and its versions (Auto Scaling launches from these).</summary>
public sealed class Ec2LaunchTemplate
{
    public string LaunchTemplateId { get; set; } = string.Empty;

    public string LaunchTemplateName { get; set; } = string.Empty;

    public DateTimeOffset CreateTime { get; set; }

    public string CreatedBy { get; set; } = string.Empty;

    public long DefaultVersionNumber { get; set; } = 1;

    public long LatestVersionNumber { get; set; } = 1;

    public Dictionary<string, string> Tags { get; set; } = [];

    public List<Ec2LaunchTemplateVersion> Versions { get; set; } = [];

    /// <summary>Resolves <c>$Latest</c>, <c>$Default</c>, a number, or null (the default version).</summary>
    public Ec2LaunchTemplateVersion? FindVersion(string? version)
    {
        long number;
        if (string.IsNullOrEmpty(version) || version == "$Default")
        {
            number = DefaultVersionNumber;
        }
        else if (version == "$Latest")
        {
            number = LatestVersionNumber;
        }
        else if (!long.TryParse(version, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out number))
        {
            return null;
        }

        return Versions.FirstOrDefault(v => v.VersionNumber == number);
    }
}
