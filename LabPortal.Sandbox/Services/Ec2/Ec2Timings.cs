namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>
/// AWS durations of instance transitions, before the time scale divides them. AWS publishes no
/// figure; aws-behaviour.md section 6 gives "usually less than a minute" for pending to running.
/// </summary>
public static class Ec2Timings
{
    public static readonly TimeSpan Boot = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan Stop = TimeSpan.FromSeconds(20);

    public static readonly TimeSpan Terminate = TimeSpan.FromSeconds(20);

    /// <summary>Status checks report "initializing" for a while after running (aws-behaviour.md 6: "a few more minutes").</summary>
    public static readonly TimeSpan StatusChecks = TimeSpan.FromMinutes(2);

    /// <summary>Terminated instances stay visible "for about an hour" (EC2 user guide, "Terminate instances").</summary>
    public static readonly TimeSpan TerminatedVisibility = TimeSpan.FromHours(1);
}
