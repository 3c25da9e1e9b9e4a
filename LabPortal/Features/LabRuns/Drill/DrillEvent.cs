using LabPortal.Infrastructure.Localization;

namespace LabPortal.Features.LabRuns.Drill;

/// <summary>
/// One line of the drill timeline: when, what, and which API read it came from. <see cref="Observed"/>
/// marks a time the portal saw a state first (target health has no timestamp in the API), as
/// opposed to a time AWS reported.
/// </summary>
public sealed record DrillEvent(DateTimeOffset At, DrillEventKind Kind, string English, string Korean, string Source, bool Observed)
{
    public string Text => L.T(English, Korean);

    /// <summary>
    /// The time to the whole second: AWS's activity causes carry whole seconds, so the timeline orders
    /// by second and, within one second, by the order AWS does things in.
    /// </summary>
    public DateTimeOffset Second => new(At.UtcTicks - (At.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}

/// <summary>
/// The kinds of drill events, in the order AWS produces them when the group replaces an instance:
/// "while the instance is terminating, another scaling activity launches a new instance"
/// (aws-behaviour.md section 3), so the launch starts before the termination completes.
/// </summary>
public enum DrillEventKind
{
    CommandSent,
    WebServerStopped,
    TargetUnhealthy,
    Terminating,
    Launching,
    Terminated,
    ReplacementRegistered,
    ReplacementHealthy,
}
