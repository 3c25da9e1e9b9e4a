namespace LabPortal.Infrastructure.Audit;

/// <summary>The <c>Action</c> names of audit entries, as the instructor pages filter them.</summary>
public static class AuditActions
{
    public const string ResetLearner = "reset-learner";
    public const string ResetClass = "reset-class";

    /// <summary>One run's teardown (any reason): started, then succeeded or failed with what remains.</summary>
    public const string Teardown = "teardown";
    public const string CleanupWarned = "cleanup-warned";
    public const string KeepWorking = "keep-working";

    /// <summary>The learner chose "Keep" on a lab's last step: the run is finished with its resources kept.</summary>
    public const string KeepResources = "keep-resources";
    public const string SandboxAccountDropped = "sandbox-account-dropped";
    public const string OrphanDeleted = "orphan-deleted";
    public const string LedgerEntryForgotten = "ledger-entry-forgotten";

    /// <summary>A teardown found a ledger entry's resource is not the run's (no run tag): the entry is released, the resource left alone.</summary>
    public const string LedgerEntryReleased = "ledger-entry-released";

    /// <summary>Accounts (issue 16): an administrator's actions, and an invitation accepted.</summary>
    public const string InstructorInvited = "instructor-invited";
    public const string InvitationAccepted = "invitation-accepted";
    public const string AccountDisabled = "account-disabled";
    public const string AccountEnabled = "account-enabled";
    public const string StudentPasswordReset = "student-password-reset";

    /// <summary>A class's instructor added another instructor to it.</summary>
    public const string CoTeacherAdded = "co-teacher-added";
}
