using LabPortal.Features.Instructors;
using LabPortal.Infrastructure.Data;

namespace LabPortal.Tests.Portal.Instructors;

public sealed class CleanupDeadlineTests
{
    private static readonly DateTime Start = new(2026, 11, 22, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Deadline_is_the_idle_limit_after_the_last_activity_when_that_comes_first()
    {
        var deadline = CleanupDeadline.For(LabRunStatus.Active, Start, Start.AddMinutes(30), null, idleLimitMinutes: 120, maxLifetimeMinutes: 480)!;

        Assert.Equal((Start.AddMinutes(150), CleanupCause.Idle), (deadline.AtUtc, deadline.Cause));
    }

    [Fact]
    public void Deadline_is_the_maximum_lifetime_when_the_learner_keeps_working()
    {
        var deadline = CleanupDeadline.For(LabRunStatus.Active, Start, Start.AddMinutes(470), null, idleLimitMinutes: 120, maxLifetimeMinutes: 480)!;

        Assert.Equal((Start.AddMinutes(480), CleanupCause.Lifetime), (deadline.AtUtc, deadline.Cause));
    }

    [Fact]
    public void Keep_working_restarts_the_idle_clock()
    {
        var deadline = CleanupDeadline.For(LabRunStatus.Active, Start, Start.AddMinutes(10), Start.AddMinutes(125), idleLimitMinutes: 120, maxLifetimeMinutes: 480)!;

        Assert.Equal((Start.AddMinutes(245), CleanupCause.Idle), (deadline.AtUtc, deadline.Cause));
    }

    [Fact]
    public void Keep_working_near_the_end_of_life_grants_one_more_idle_period()
    {
        var deadline = CleanupDeadline.For(LabRunStatus.Active, Start, Start.AddMinutes(400), Start.AddMinutes(470), idleLimitMinutes: 60, maxLifetimeMinutes: 480)!;

        Assert.Equal((Start.AddMinutes(530), CleanupCause.Lifetime), (deadline.AtUtc, deadline.Cause));
    }

    [Theory]
    [InlineData(LabRunStatus.TearingDown)]
    [InlineData(LabRunStatus.TornDown)]
    [InlineData(LabRunStatus.Kept)]
    public void A_run_that_is_not_active_has_no_deadline(LabRunStatus status) =>
        Assert.Null(CleanupDeadline.For(status, Start, Start, null, 120, 480));

    [Fact]
    public void Time_left_counts_down_and_stops_at_zero()
    {
        var deadline = new CleanupDeadline(Start.AddMinutes(90), CleanupCause.Idle);

        Assert.Equal(TimeSpan.FromMinutes(90), deadline.TimeLeft(Start));
        Assert.Equal(TimeSpan.FromMinutes(1), deadline.TimeLeft(Start.AddMinutes(89)));
        Assert.Equal(TimeSpan.Zero, deadline.TimeLeft(Start.AddMinutes(95)));
    }

    [Fact]
    public void Overload_reads_the_run_and_the_class_limits()
    {
        var run = new LabRun { LabId = "lab", NamePrefix = "lp", Status = LabRunStatus.Active, StartedAtUtc = Start, LastActivityAtUtc = Start.AddMinutes(5) };
        var classroom = new Classroom { Name = "c", JoinCode = "C", IdleLimitMinutes = 15, MaxLifetimeMinutes = 60 };

        Assert.Equal(Start.AddMinutes(20), CleanupDeadline.For(run, classroom)!.AtUtc);
    }
}
