using System.Security.Claims;
using System.Security.Cryptography;
using LabPortal.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace LabPortal.Features.Accounts;

/// <summary>
/// The portal's account operations over ASP.NET Core Identity (its user manager, sign-in manager and EF
/// stores): sign-in with lockout, sign-out that ends every session, password changes and new accounts.
/// </summary>
public sealed class AccountService(
    UserManager<User> users,
    SignInManager<User> signIn,
    PortalDbContext db,
    TimeProvider time)
{
    /// <summary>Present while the user still signs in with a one-time password (<see cref="PortalClaimsFactory"/>).</summary>
    public const string MustChangePasswordClaim = "lp:must-change-password";

    /// <summary>
    /// Checks the password (counting failures towards the lockout) and issues the sign-in cookie. An unknown name
    /// gets the answer a wrong password gets, after a hash check of the same cost.
    /// </summary>
    public async Task<SignInResult> PasswordSignInAsync(string userName, string password)
    {
        var user = await users.FindByNameAsync(userName.Trim());
        if (user is null)
        {
            // Identity's sign-in returns at once for an unknown name: hash anyway so it takes as long as a wrong password.
            users.PasswordHasher.VerifyHashedPassword(DummyUser, DummyHash, password);
            return new SignInResult(SignInOutcome.InvalidCredentials);
        }

        var checkedPassword = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        if (checkedPassword.IsLockedOut && user.DisabledAtUtc is not null)
        {
            return new SignInResult(SignInOutcome.Disabled, user);
        }

        if (checkedPassword.IsLockedOut)
        {
            return new SignInResult(SignInOutcome.LockedOut, user, await users.GetLockoutEndDateAsync(user));
        }

        if (!checkedPassword.Succeeded)
        {
            return new SignInResult(SignInOutcome.InvalidCredentials);
        }

        await signIn.SignInAsync(user, isPersistent: false);
        return new SignInResult(SignInOutcome.Succeeded, user);
    }

    /// <summary>Issues the sign-in cookie for <paramref name="user"/> (a student who just joined, a password just changed).</summary>
    public Task SignInAsync(User user) => signIn.SignInAsync(user, isPersistent: false);

    /// <summary>Signs out and gives the user a new security stamp: every copy of every cookie issued to them stops working.</summary>
    public async Task SignOutAsync(ClaimsPrincipal principal)
    {
        if (await users.GetUserAsync(principal) is { } user)
        {
            await users.UpdateSecurityStampAsync(user);
        }

        await signIn.SignOutAsync();
    }

    /// <summary>
    /// Changes the signed-in user's password; every other session ends (new security stamp) and this one gets a
    /// new cookie. A user still on a one-time password is not asked for it again: they typed it to sign in.
    /// </summary>
    public async Task<PasswordChange> ChangePasswordAsync(ClaimsPrincipal principal, string? currentPassword, string newPassword)
    {
        var user = await users.GetUserAsync(principal) ?? throw new InvalidOperationException("The signed-in user no longer exists.");
        IdentityResult result;
        if (user.MustChangePassword)
        {
            var token = await users.GeneratePasswordResetTokenAsync(user);
            user.MustChangePassword = false;
            result = await users.ResetPasswordAsync(user, token, newPassword);
            if (!result.Succeeded)
            {
                user.MustChangePassword = true;
            }
        }
        else
        {
            result = await users.ChangePasswordAsync(user, currentPassword ?? "", newPassword);
        }

        if (result.Succeeded)
        {
            await signIn.SignInAsync(user, isPersistent: false);
            return PasswordChange.Changed;
        }

        return result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.PasswordMismatch))
            ? PasswordChange.WrongCurrentPassword
            : PasswordChange.Refused;
    }

    /// <summary>Whether the signed-in user holds a one-time password.</summary>
    public async Task<bool> MustChangePasswordAsync(ClaimsPrincipal principal) =>
        await users.GetUserAsync(principal) is { MustChangePassword: true };

    /// <summary>A user not yet saved; <see cref="CreateAsync"/> gives it its password and roles.</summary>
    public User NewUser(string userName, string displayName, bool mustChangePassword) => new()
    {
        UserName = userName.Trim(),
        DisplayName = displayName.Trim(),
        MustChangePassword = mustChangePassword,
        CreatedAtUtc = time.GetUtcNow().UtcDateTime,
    };

    /// <summary>
    /// Saves <paramref name="user"/> (and what hangs from it, e.g. a class membership) with its password and roles,
    /// all or nothing. A name already taken fails with Identity's <c>DuplicateUserName</c>; the same name saved by
    /// another request between the check and the insert throws <see cref="DbUpdateException"/>.
    /// </summary>
    public async Task<IdentityResult> CreateAsync(User user, string password, IReadOnlyCollection<string> roles, CancellationToken cancellationToken = default)
    {
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            return created;
        }

        var added = await users.AddToRolesAsync(user, roles);
        if (!added.Succeeded)
        {
            return added;
        }

        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return IdentityResult.Success;
    }

    /// <summary><see cref="CreateAsync"/> for a caller that has checked its input (first start, test set-up): a failure throws.</summary>
    public async Task<User> CreateUserAsync(string userName, string displayName, string password, bool mustChangePassword, params string[] roles)
    {
        var user = NewUser(userName, displayName, mustChangePassword);
        var result = await CreateAsync(user, password, roles);
        return result.Succeeded
            ? user
            : throw new InvalidOperationException($"Could not create the account '{userName}': {string.Join(" ", result.Errors.Select(e => e.Description))}");
    }

    public async Task<bool> UserNameTakenAsync(string userName) => await users.FindByNameAsync(userName.Trim()) is not null;

    /// <summary>A one-time password: 16 characters without look-alikes (0/O, 1/l/I).</summary>
    public static string GeneratePassword() =>
        RandomNumberGenerator.GetString("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 16);

    private static readonly User DummyUser = new() { UserName = "", DisplayName = "" };

    private static readonly string DummyHash = new PasswordHasher<User>().HashPassword(DummyUser, "not-a-password");
}

/// <summary>The outcome of a password change.</summary>
public enum PasswordChange
{
    Changed,
    WrongCurrentPassword,

    /// <summary>Identity's password rules refused the new password (the form's own rules come first, so rarely).</summary>
    Refused,
}
