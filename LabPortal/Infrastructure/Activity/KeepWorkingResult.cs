namespace LabPortal.Infrastructure.Activity;

public enum KeepWorkingResult
{
    Extended,

    /// <summary>The run was already extended once: nothing changed.</summary>
    AlreadyExtended,

    /// <summary>The run is not the learner's, or is no longer active.</summary>
    NotFound,
}
