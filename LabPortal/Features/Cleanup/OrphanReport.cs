using LabPortal.Features.LabRuns.Teardown;
using LabPortal.Infrastructure.Data;

namespace LabPortal.Features.Cleanup;

/// <summary>
/// A resource in a learner's scope that belongs to no live run (issue 13, What to build 5): not in a
/// live run's ledger, not tagged by a live run, not a member of anything a live run owns.
/// </summary>
public sealed record Orphan(int? UserId, string LearnerName, TaggedResource Resource, OrphanReason Reason)
{
    /// <summary>The run its <c>lab-portal:run</c> tag names, when it names one of the portal's runs.</summary>
    public int? RunId { get; init; }
}

/// <summary>A ledger entry marked created whose resource the cloud no longer has.</summary>
public sealed record VanishedEntry(int LedgerEntryId, int RunId, int UserId, string LearnerName, ResourceKind Kind, string ResourceId, string Name);

/// <summary>
/// A run of the class not torn down that still holds resources: its ledger's live entries, and orphans
/// carrying its run tag; <see cref="LastFailure"/> is what its last teardown could not do, if it failed.
/// </summary>
public sealed record RunWithResources(int RunId, int UserId, string LearnerName, string LabId, LabRunStatus Status, int LedgerResources, int TaggedOrphans)
{
    public string? LastFailure { get; init; }
}

/// <summary>What the sweeper found for a class; <see cref="Errors"/> names the scopes it could not read.</summary>
public sealed record OrphanReport(IReadOnlyList<Orphan> Orphans, IReadOnlyList<VanishedEntry> Vanished, IReadOnlyList<string> Errors)
{
    /// <summary>The class's runs that still hold resources, each with "clean up this run".</summary>
    public IReadOnlyList<RunWithResources> Runs { get; init; } = [];
}
