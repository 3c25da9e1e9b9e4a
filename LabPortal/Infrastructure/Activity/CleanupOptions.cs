using System.ComponentModel.DataAnnotations;

namespace LabPortal.Infrastructure.Activity;

/// <summary>Section <c>Cleanup</c>: auto-cleanup timing (the teardown's own settings in the same section: <c>TeardownOptions</c>).</summary>
public sealed class CleanupOptions
{
    public const string Section = "Cleanup";

    /// <summary>How often the auto-cleanup job looks at runs (not scaled by <see cref="TimeScale"/>); it must divide a minute, an hour or a day evenly (cron).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long the learner's countdown banner runs before the run is torn down.</summary>
    public TimeSpan WarningPeriod { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>What "keep working" adds to a run's maximum lifetime (its idle clock restarts as well).</summary>
    public TimeSpan Extension { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a finished run whose resources were kept (status Kept) lives before it is cleaned.</summary>
    public TimeSpan FinishedGracePeriod { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Divides every cleanup duration above and the classes' idle and lifetime limits, like
    /// <c>Sandbox:TimeScale</c>: 60 makes a two-hour idle limit two minutes (tests and demos).
    /// </summary>
    [Range(0.001, 1_000_000)]
    public double TimeScale { get; set; } = 1;

    public TimeSpan Scaled(TimeSpan duration) => duration / TimeScale;

    public TimeSpan ScaledMinutes(int minutes) => TimeSpan.FromMinutes(minutes) / TimeScale;
}
