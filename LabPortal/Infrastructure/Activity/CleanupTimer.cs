using LabPortal.Infrastructure.Localization;

namespace LabPortal.Infrastructure.Activity;

public enum CleanupCause
{
    Idle,
    Lifetime,
}

/// <summary>A run's cleanup deadlines as of <see cref="Now"/>.</summary>
/// <param name="DueAtUtc">When the run gets its warning (the earlier of the idle and lifetime deadlines).</param>
/// <param name="Cause">Which deadline comes first.</param>
/// <param name="TeardownAtUtc">When a warned run is torn down; null while not warned.</param>
/// <param name="Extended">True once "keep working" was used.</param>
/// <param name="Now">The time the timer was read.</param>
public sealed record CleanupTimer(DateTime DueAtUtc, CleanupCause Cause, DateTime? TeardownAtUtc, bool Extended, DateTime Now)
{
    public bool Warned => TeardownAtUtc is not null;

    /// <summary>Time left before cleanup: until the countdown ends when warned, else until the warning is due.</summary>
    public TimeSpan Remaining
    {
        get
        {
            var left = (TeardownAtUtc ?? DueAtUtc) - Now;
            return left < TimeSpan.Zero ? TimeSpan.Zero : left;
        }
    }

    /// <summary>"1 h 05 min", "4 min 10 s", "12 s".</summary>
    public static string Format(TimeSpan span)
    {
        if (span.TotalHours >= 1)
        {
            return L.T($"{(int)span.TotalHours} h {span.Minutes:00} min", $"{(int)span.TotalHours}시간 {span.Minutes:00}분");
        }

        return span.TotalMinutes >= 1
            ? L.T($"{span.Minutes} min {span.Seconds:00} s", $"{span.Minutes}분 {span.Seconds:00}초")
            : L.T($"{span.Seconds} s", $"{span.Seconds}초");
    }
}
