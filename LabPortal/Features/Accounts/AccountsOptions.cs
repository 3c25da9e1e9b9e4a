using System.ComponentModel.DataAnnotations;

namespace LabPortal.Features.Accounts;

/// <summary>Section <c>Accounts</c>.</summary>
public sealed class AccountsOptions
{
    public const string Section = "Accounts";

    /// <summary>User name of the first instructor, created at start-up when the portal has none.</summary>
    [Required, RegularExpression(AccountRules.UserNamePattern)]
    public string InitialInstructorUserName { get; set; } = "instructor";

    /// <summary>
    /// Password for the first instructor. When empty, start-up generates a one-time password, logs it
    /// once, writes it to the data folder and forces a change at first sign-in.
    /// </summary>
    public string? InitialInstructorPassword { get; set; }

    /// <summary>Failed sign-ins in a row before the account is locked.</summary>
    [Range(1, 100)]
    public int MaxFailedSignIns { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long an instructor's invitation link works (it works once).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan InvitationLifetime { get; set; } = TimeSpan.FromDays(3);

    /// <summary>
    /// How often an open interactive page (a circuit) checks that its user's session still holds: a sign-out
    /// elsewhere, a password change or a disabled account ends it within this time.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan CircuitRevalidationInterval { get; set; } = TimeSpan.FromSeconds(30);
}
