namespace LabPortal.Sandbox.Services.Ssm;

/// <summary>A command on one instance (GetCommandInvocation).</summary>
public sealed class SsmInvocation
{
    public string InstanceId { get; set; } = string.Empty;

    /// <summary>Pending, InProgress, Success, Failed (CommandInvocationStatus).</summary>
    public string Status { get; set; } = "Pending";

    /// <summary>Pending, InProgress, Success, Failed, Undeliverable.</summary>
    public string StatusDetails { get; set; } = "Pending";

    public int ResponseCode { get; set; } = -1;

    public string StandardOutput { get; set; } = string.Empty;

    public string StandardError { get; set; } = string.Empty;

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }
}
