namespace LabPortal.Sandbox.Services.Ssm;

/// <summary>One SendCommand call and its invocation per instance.</summary>
public sealed class SsmCommand
{
    public string CommandId { get; set; } = string.Empty;

    public string DocumentName { get; set; } = string.Empty;

    public string? Comment { get; set; }

    public List<string> Commands { get; set; } = [];

    public List<string> InstanceIds { get; set; } = [];

    /// <summary>The Targets the command was sent to (empty when it named InstanceIds).</summary>
    public List<SsmTarget> Targets { get; set; } = [];

    public string MaxConcurrency { get; set; } = "50";

    public string MaxErrors { get; set; } = "0";

    public int TimeoutSeconds { get; set; } = 3600;

    public DateTimeOffset RequestedDateTime { get; set; }

    public List<SsmInvocation> Invocations { get; set; } = [];

    /// <summary>The command's overall status (CommandStatus): Pending until one runs, then the worst outcome once all end.</summary>
    public string OverallStatus()
    {
        if (Invocations.All(i => i.Status == "Pending"))
        {
            return "Pending";
        }

        if (Invocations.Any(i => i.Status is "Pending" or "InProgress"))
        {
            return "InProgress";
        }

        return Invocations.All(i => i.Status == "Success") ? "Success" : "Failed";
    }
}
