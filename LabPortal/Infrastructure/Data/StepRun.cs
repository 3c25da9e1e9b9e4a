namespace LabPortal.Infrastructure.Data;

/// <summary>One attempt at one step: a quiz answered, or an action run as a background job.</summary>
public sealed class StepRun
{
    public int Id { get; set; }

    public int LabRunId { get; set; }

    public LabRun LabRun { get; set; } = null!;

    public required string StepId { get; set; }

    public StepRunStatus Status { get; set; }

    /// <summary>How many times the job has started this step run (retries after a crash count too).</summary>
    public int Attempts { get; set; }

    /// <summary>JSON object: the parameter values (or quiz answers) submitted.</summary>
    public string InputJson { get; set; } = "{}";

    public DateTime CreatedAtUtc { get; set; }

    public DateTime? StartedAtUtc { get; set; }

    public DateTime? FinishedAtUtc { get; set; }

    /// <summary>AWS's error code when the step failed on an AWS call.</summary>
    public string? ErrorCode { get; set; }

    public string? ErrorMessage { get; set; }

    /// <summary>Space-separated AWS request ids of the calls the step made.</summary>
    public string? RequestIds { get; set; }
}
