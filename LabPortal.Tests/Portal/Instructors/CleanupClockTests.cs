using LabPortal.Infrastructure.Activity;
using LabPortal.Infrastructure.Data;

namespace LabPortal.Tests.Portal.Instructors;

/// <summary>The lab timer the learner's banner, the auto-cleanup job and the instructor's dashboard all read.</summary>
public sealed class CleanupClockTests
{
    private static readonly DateTime Start = new(2026, 11, 22, 9, 0, 0, DateTimeKind.Utc);

    private static readonly CleanupOptions Options = new() { WarningPeriod = TimeSpan.FromMinutes(10), Extension = TimeSpan.FromHours(1) };

    private static readonly ClassLimits Limits = new(IdleLimitMinutes: 120, MaxLifetimeMinutes: 480, ClassroomId: 1);

    private static CleanupTimer TimerAt(DateTime now, LabRun run, ClassLimits? limits = null, CleanupOptions? options = null) =>
        new CleanupClock(Microsoft.Extensions.Options.Options.Create(options ?? Options), new At(now)).TimerFor(run, limits ?? Limits);

    private static LabRun Run(int lastActivityMinutes, int? extendedMinutes = null, int? warnedMinutes = null) => new()
    {
        LabId = "lab",
        NamePrefix = "lp",
        Status = LabRunStatus.Active,
        StartedAtUtc = Start,
        LastActivityAtUtc = Start.AddMinutes(lastActivityMinutes),
        ExtendedAtUtc = extendedMinutes is { } e ? Start.AddMinutes(e) : null,
        CleanupWarnedAtUtc = warnedMinutes is { } w ? Start.AddMinutes(w) : null,
    };

    [Fact]
    public void Warning_is_due_an_idle_limit_after_the_last_activity_when_that_comes_first()
    {
        var timer = TimerAt(Start.AddMinutes(60), Run(lastActivityMinutes: 30));

        Assert.Equal((Start.AddMinutes(150), CleanupCause.Idle, false), (timer.DueAtUtc, timer.Cause, timer.Warned));
        Assert.Equal(TimeSpan.FromMinutes(90), timer.Remaining);
    }

    [Fact]
    public void Warning_is_due_at_the_maximum_lifetime_for_a_learner_who_keeps_working()
    {
        var timer = TimerAt(Start.AddMinutes(471), Run(lastActivityMinutes: 470));

        Assert.Equal((Start.AddMinutes(480), CleanupCause.Lifetime), (timer.DueAtUtc, timer.Cause));
    }

    [Fact]
    public void Keep_working_adds_the_extension_to_the_lifetime()
    {
        var timer = TimerAt(Start.AddMinutes(471), Run(lastActivityMinutes: 470, extendedMinutes: 470));

        Assert.Equal((Start.AddMinutes(540), CleanupCause.Lifetime, true), (timer.DueAtUtc, timer.Cause, timer.Extended));
    }

    [Fact]
    public void Once_warned_the_time_left_runs_to_the_end_of_the_countdown_and_stops_at_zero()
    {
        var run = Run(lastActivityMinutes: 0, warnedMinutes: 120);

        var during = TimerAt(Start.AddMinutes(124), run);
        var after = TimerAt(Start.AddMinutes(200), run);

        Assert.Equal((Start.AddMinutes(130), TimeSpan.FromMinutes(6)), (during.TeardownAtUtc!.Value, during.Remaining));
        Assert.Equal(TimeSpan.Zero, after.Remaining);
    }

    [Fact]
    public void The_time_scale_divides_the_class_limits_and_the_countdown()
    {
        var timer = TimerAt(Start, Run(lastActivityMinutes: 0, warnedMinutes: 0), options: new CleanupOptions { TimeScale = 60, WarningPeriod = TimeSpan.FromMinutes(10) });

        Assert.Equal(Start.AddMinutes(2), timer.DueAtUtc);
        Assert.Equal(Start.AddSeconds(10), timer.TeardownAtUtc);
    }

    [Fact]
    public void The_strictest_limits_apply()
    {
        var timer = TimerAt(Start, Run(lastActivityMinutes: 5), new ClassLimits(15, 60, 2));

        Assert.Equal(Start.AddMinutes(20), timer.DueAtUtc);
    }

    private sealed class At(DateTime now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(now);
    }
}
