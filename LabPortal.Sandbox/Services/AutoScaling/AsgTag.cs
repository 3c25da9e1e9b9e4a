namespace LabPortal.Sandbox.Services.AutoScaling;

/// <summary>A group tag; <see cref="PropagateAtLaunch"/> copies it to the instances the group launches.</summary>
public sealed class AsgTag
{
    public string Key { get; set; } = string.Empty;

    public string Value { get; set; } = string.Empty;

    public bool PropagateAtLaunch { get; set; }
}
