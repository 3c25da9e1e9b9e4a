namespace LabPortal.Features.Instructors;

/// <summary>How a ledger entry compares with the cloud's live state.</summary>
public enum Drift
{
    /// <summary>The ledger and the cloud agree.</summary>
    None,

    /// <summary>The ledger says it exists; the cloud has no such resource.</summary>
    GoneFromCloud,

    /// <summary>The ledger says it was deleted; the cloud still has it (a leftover that costs money).</summary>
    StillInCloud,

    /// <summary>Both have it, but the cloud reports a state the lab does not expect (a stopped instance, a failed load balancer).</summary>
    StateDiffers,

    /// <summary>Not compared: never created, a kind the portal cannot describe, or the cloud could not be read.</summary>
    NotChecked,
}
