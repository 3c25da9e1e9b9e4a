using LabPortal.Infrastructure.Data;

namespace LabPortal.Features.Instructors;

/// <summary>Which limit of the class ends a run first.</summary>
public enum CleanupCause
{
    /// <summary>No learner activity for the class's idle limit.</summary>
    Idle,

    /// <summary>The run reached the class's maximum lifetime.</summary>
    Lifetime,
}

/// <summary>
/// When auto-cleanup will tear a run down, from the class's limits and the run's clocks (issue 7):
/// idle for <see cref="Classroom.IdleLimitMinutes"/> or older than <see cref="Classroom.MaxLifetimeMinutes"/>,
/// whichever comes first. The learner's one "keep working" press counts as activity and guarantees one
/// more idle period even past the maximum lifetime. Only active runs have a deadline: a run being torn
/// down, torn down or kept for the next lab is not waiting for auto-cleanup.
/// </summary>
public sealed record CleanupDeadline(DateTime AtUtc, CleanupCause Cause)
{
    public static CleanupDeadline? For(LabRun run, Classroom classroom) =>
        For(run.Status, run.StartedAtUtc, run.LastActivityAtUtc, run.ExtendedAtUtc, classroom.IdleLimitMinutes, classroom.MaxLifetimeMinutes);

    public static CleanupDeadline? For(
        LabRunStatus status, DateTime startedAtUtc, DateTime lastActivityAtUtc, DateTime? extendedAtUtc, int idleLimitMinutes, int maxLifetimeMinutes)
    {
        if (status != LabRunStatus.Active)
        {
            return null;
        }

        var idle = TimeSpan.FromMinutes(Math.Max(0, idleLimitMinutes));
        var lastActivity = extendedAtUtc is { } extended && extended > lastActivityAtUtc ? extended : lastActivityAtUtc;
        var idleDeadline = lastActivity + idle;

        var lifetimeDeadline = startedAtUtc + TimeSpan.FromMinutes(Math.Max(0, maxLifetimeMinutes));
        if (extendedAtUtc is { } pressed && pressed + idle > lifetimeDeadline)
        {
            lifetimeDeadline = pressed + idle;
        }

        // On a tie the lifetime is named: it cannot be pushed back by working, the idle clock can.
        return idleDeadline < lifetimeDeadline
            ? new CleanupDeadline(idleDeadline, CleanupCause.Idle)
            : new CleanupDeadline(lifetimeDeadline, CleanupCause.Lifetime);
    }

    /// <summary>Time left at <paramref name="nowUtc"/>; zero once the deadline has passed.</summary>
    public TimeSpan TimeLeft(DateTime nowUtc) => AtUtc > nowUtc ? AtUtc - nowUtc : TimeSpan.Zero;
}
