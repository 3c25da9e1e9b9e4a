namespace LabPortal.Features.Cleanup;

/// <summary>Why the sweeper offers a resource (issue 13, What to build 5): it belongs to no live run, because...</summary>
public enum OrphanReason
{
    /// <summary>No portal run made it: no <c>lab-portal:run</c> tag, or one naming no run of the portal.</summary>
    NoRun,

    /// <summary>Its run is torn down (the resource was left over, or made after).</summary>
    RunTornDown,

    /// <summary>Its run belongs to a learner who is no longer a student of this class.</summary>
    LearnerLeft,
}
