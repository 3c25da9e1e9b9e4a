namespace LabPortal.Sandbox.Services.AutoScaling;

/// <summary>The lifecycle states the sandbox uses.</summary>
public static class AsgLifecycle
{
    public const string Pending = "Pending";

    public const string InService = "InService";

    public const string Terminating = "Terminating";
}
