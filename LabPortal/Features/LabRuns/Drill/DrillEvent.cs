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
}

/// <summary>The kinds of drill events, in the order AWS produces them when the group replaces an instance.</summary>
public enum DrillEventKind
{
    CommandSent,
    WebServerStopped,
    TargetUnhealthy,
    Terminating,
    Terminated,
    Launching,
    ReplacementRegistered,
    ReplacementHealthy,
}
