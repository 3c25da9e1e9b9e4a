using LabPortal.Features.LabRuns.Teardown;
using LabPortal.Infrastructure.Data;

namespace LabPortal.Features.Cleanup;

/// <summary>A lab-tagged resource in a learner's scope that no live ledger entry knows.</summary>
public sealed record Orphan(int? UserId, string LearnerName, TaggedResource Resource);

/// <summary>A ledger entry marked created whose resource the cloud no longer has.</summary>
public sealed record VanishedEntry(int LedgerEntryId, int RunId, int UserId, string LearnerName, string Kind, string ResourceId, string Name);

/// <summary>A run of the class not torn down that still holds resources: its ledger's live entries, and orphans carrying its run tag.</summary>
public sealed record RunWithResources(int RunId, int UserId, string LearnerName, string LabId, LabRunStatus Status, int LedgerResources, int TaggedOrphans);

/// <summary>What the sweeper found for a class; <see cref="Errors"/> names the scopes it could not read.</summary>
public sealed record OrphanReport(IReadOnlyList<Orphan> Orphans, IReadOnlyList<VanishedEntry> Vanished, IReadOnlyList<string> Errors)
{
    /// <summary>The class's runs that still hold resources, each with "clean up this run".</summary>
    public IReadOnlyList<RunWithResources> Runs { get; init; } = [];
}
