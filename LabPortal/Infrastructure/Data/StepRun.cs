namespace LabPortal.Infrastructure.Data;

/// <summary>One attempt at one step: a quiz answered, or an action run as a background job.</summary>
public sealed class StepRun
{
    public int Id { get; set; }

    public int LabRunId { get; set; }

    public LabRun LabRun { get; set; } = null!;

    public required string StepId { get; set; }

    public StepRunStatus Status { get; set; }

    /// <summary>
    /// How many times an execution started this step run afresh: the first run, an automatic retry
    /// after a transient AWS failure, a re-run after a crash. A continuation after a wait is not a new attempt.
    /// </summary>
    public int Attempts { get; set; }

    /// <summary>
    /// Set while one job execution works on the step run (until this time, the execution bound): a second
    /// execution of the same step run (a duplicate delivery) finds it held and does nothing.
    /// </summary>
    public DateTime? LeaseUntilUtc { get; set; }

    /// <summary>
    /// The Hangfire job whose execution took the lease (null when it ran outside a job); meaningful only while
    /// <see cref="LeaseUntilUtc"/> runs. Tells a second delivery of that same job (its execution died) from a
    /// duplicate delivery while the holder still works (<see cref="Jobs.LeasedJobs"/>).
    /// </summary>
    public string? LeaseHolder { get; set; }

    /// <summary>When the step waits for AWS (instances booting, a load balancer provisioning): the time its continuation is due.</summary>
    public DateTime? WaitingUntilUtc { get; set; }

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
