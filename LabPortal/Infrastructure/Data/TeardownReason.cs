namespace LabPortal.Infrastructure.Data;

/// <summary>
/// Why a run is being or was torn down (<see cref="LabRun.TeardownReason"/>). Stored as the text
/// <see cref="TeardownReasons.StoredName"/> gives (<c>learner</c>, <c>reset</c>, <c>auto-cleanup</c>,
/// <c>sweeper</c>), which is also what the audit trail and the instructor's pages show.
/// </summary>
public enum TeardownReason
{
    /// <summary>The learner chose "Tear everything down" on a lab's finish step.</summary>
    Learner,

    /// <summary>An instructor reset the learner or the class.</summary>
    Reset,

    /// <summary>Auto-cleanup: idle, too old, or kept past its grace period.</summary>
    AutoCleanup,

    /// <summary>An instructor chose "clean up this run" on the orphan sweeper's page.</summary>
    Sweeper,
}
