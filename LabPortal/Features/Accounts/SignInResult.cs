using LabPortal.Infrastructure.Data;

namespace LabPortal.Features.Accounts;

/// <summary>The outcome of a sign-in attempt.</summary>
public sealed record SignInResult(SignInOutcome Outcome, User? User = null, DateTimeOffset? LockedOutUntil = null);

public enum SignInOutcome
{
    Succeeded,
    InvalidCredentials,
    LockedOut,

    /// <summary>An administrator disabled the account.</summary>
    Disabled,
}
