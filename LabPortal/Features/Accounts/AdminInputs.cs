namespace LabPortal.Features.Accounts;

public sealed class InviteInstructorInput
{
    public string? UserName { get; set; }

    public string? DisplayName { get; set; }
}

public sealed class AccountStatusInput
{
    public int UserId { get; set; }

    /// <summary>True to disable the account, false to enable it again.</summary>
    public bool Disable { get; set; }
}

public sealed class ResetStudentPasswordInput
{
    public string? UserName { get; set; }
}

public sealed class AcceptInvitationInput
{
    public string? Password { get; set; }

    public string? ConfirmPassword { get; set; }
}

/// <summary>An account as the administrator's page lists it.</summary>
public sealed record StaffAccount(int Id, string UserName, string DisplayName, bool IsAdministrator, bool InvitationPending, bool Disabled);

/// <summary>An invitation just made: the link is shown once and kept nowhere.</summary>
public sealed record Invitation(string UserName, string Link, DateTimeOffset ExpiresAt);

/// <summary>A student's one-time password, shown once.</summary>
public sealed record OneTimePassword(string UserName, string DisplayName, string Password);
