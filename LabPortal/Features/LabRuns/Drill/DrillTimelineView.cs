using LabPortal.Infrastructure.Localization;

namespace LabPortal.Features.LabRuns.Drill;

/// <summary>
/// The drill timeline as the page shows it: the events so far in order, what the load balancer and
/// the group say about the drilled instance now, and whether the story is over (replacement healthy).
/// </summary>
public sealed record DrillTimelineView(
    string InstanceId,
    IReadOnlyList<DrillEvent> Events,
    string? TargetNow,
    string? GroupNowEnglish,
    string? GroupNowKorean,
    bool Settled,
    bool Stale)
{
    public string? GroupNow => GroupNowEnglish is null ? null : L.T(GroupNowEnglish, GroupNowKorean ?? GroupNowEnglish);

    /// <summary>True while the page should keep reading: the story is not over and the drill is recent.</summary>
    public bool KeepPolling => !Settled && !Stale;
}
