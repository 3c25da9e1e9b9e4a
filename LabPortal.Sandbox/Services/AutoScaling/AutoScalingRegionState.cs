using LabPortal.Sandbox.State;

namespace LabPortal.Sandbox.Services.AutoScaling;

/// <summary>An account's Auto Scaling groups in one region, and their scaling activities (kept after a group is deleted).</summary>
public sealed class AutoScalingRegionState : IRegionState
{
    public const string SectionName = "autoscaling";

    /// <summary>Activities kept per region; AWS keeps six weeks, a lab needs the recent ones.</summary>
    public const int MaxActivities = 500;

    public string Region { get; set; } = string.Empty;

    /// <summary>Groups by name (names are unique per account and region).</summary>
    public Dictionary<string, AsgGroup> Groups { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Oldest first; DescribeScalingActivities answers newest first.</summary>
    public List<AsgActivity> Activities { get; set; } = [];

    public static AutoScalingRegionState Create(string region) => new() { Region = region };

    public void AddActivity(AsgActivity activity)
    {
        Activities.Add(activity);
        if (Activities.Count > MaxActivities)
        {
            Activities.RemoveRange(0, Activities.Count - MaxActivities);
        }
    }

    public IEnumerable<SandboxResource> ListResources() =>
        Groups.Values.Select(g => new SandboxResource(SectionName, Region, "auto-scaling-group", g.Name));
}
