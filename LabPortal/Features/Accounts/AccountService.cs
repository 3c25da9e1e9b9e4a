using System.Security.Claims;
using System.Security.Cryptography;
using LabPortal.Infrastructure.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LabPortal.Features.Accounts;

/// <summary>Sign-in with lockout, password changes and user creation, over the portal's own users table.</summary>
public sealed class AccountService(
    PortalDbContext db,
    IPasswordHasher<User> hasher,
    IOptions<AccountsOptions> options,
    TimeProvider time)
{
    public const string SecurityStampClaim = "lp:stamp";

    /// <summary>Present while the user still signs in with a one-time password.</summary>
    public const string MustChangePasswordClaim = "lp:must-change-password";

    public async Task<SignInResult> CheckPasswordAsync(string userName, string password, CancellationToken cancellationToken = default)
    {
        var normalized = User.Normalize(userName);
        var user = await db.Users.SingleOrDefaultAsync(u => u.NormalizedUserName == normalized, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        if (user is null)
        {
            // Hash anyway so an unknown name takes as long as a wrong password.
            hasher.VerifyHashedPassword(new User { UserName = "", NormalizedUserName = "", DisplayName = "", PasswordHash = "", SecurityStamp = "" }, DummyHash, password);
            return new SignInResult(SignInOutcome.InvalidCredentials);
        }

        if (user.LockedOutUntilUtc > now)
        {
            return new SignInResult(SignInOutcome.LockedOut, user, user.LockedOutUntilUtc);
        }

        var verdict = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            user.FailedSignInCount++;
            if (user.FailedSignInCount >= options.Value.MaxFailedSignIns)
            {
                user.LockedOutUntilUtc = now + options.Value.LockoutDuration;
                user.FailedSignInCount = 0;
                await db.SaveChangesAsync(cancellationToken);
                return new SignInResult(SignInOutcome.LockedOut, user, user.LockedOutUntilUtc);
            }

            await db.SaveChangesAsync(cancellationToken);
            return new SignInResult(SignInOutcome.InvalidCredentials);
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = hasher.HashPassword(user, password);
        }

        user.FailedSignInCount = 0;
        user.LockedOutUntilUtc = null;
        await db.SaveChangesAsync(cancellationToken);
        return new SignInResult(SignInOutcome.Succeeded, user);
    }

    public async Task<bool> ChangePasswordAsync(int userId, string currentPassword, string newPassword, CancellationToken cancellationToken = default)
    {
        var user = await db.Users.SingleAsync(u => u.Id == userId, cancellationToken);
        if (hasher.VerifyHashedPassword(user, user.PasswordHash, currentPassword) == PasswordVerificationResult.Failed)
        {
            return false;
        }

        SetPassword(user, newPassword);
        user.MustChangePassword = false;
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>A new security stamp: every cookie issued to this user so far stops working (sign-out).</summary>
    public async Task EndSessionsAsync(int userId, CancellationToken cancellationToken = default)
    {
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is not null)
        {
            user.SecurityStamp = NewStamp();
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    public User NewUser(string userName, string displayName, string password, UserRole role, bool mustChangePassword)
    {
        var user = new User
        {
            UserName = userName.Trim(),
            NormalizedUserName = User.Normalize(userName),
            DisplayName = displayName.Trim(),
            PasswordHash = "",
            SecurityStamp = "",
            Role = role,
            MustChangePassword = mustChangePassword,
            CreatedAtUtc = time.GetUtcNow().UtcDateTime,
        };
        SetPassword(user, password);
        return user;
    }

    public Task<bool> UserNameTakenAsync(string userName, CancellationToken cancellationToken = default)
    {
        var normalized = User.Normalize(userName);
        return db.Users.AnyAsync(u => u.NormalizedUserName == normalized, cancellationToken);
    }

    /// <summary>Issues the sign-in cookie for <paramref name="user"/>.</summary>
    public static Task SignInAsync(HttpContext context, User user)
    {
        List<Claim> claims =
        [
            new Claim(ClaimTypes.NameIdentifier, user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new Claim(ClaimTypes.Name, user.DisplayName),
            new Claim(ClaimTypes.Role, user.Role.ToString()),
            new Claim(SecurityStampClaim, user.SecurityStamp),
        ];
        if (user.MustChangePassword)
        {
            claims.Add(new Claim(MustChangePasswordClaim, "true"));
        }

        var identity = new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme);
        return context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
    }

    /// <summary>A one-time password: 16 characters without look-alikes (0/O, 1/l/I).</summary>
    public static string GeneratePassword() =>
        RandomNumberGenerator.GetString("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 16);

    private void SetPassword(User user, string password)
    {
        user.PasswordHash = hasher.HashPassword(user, password);
        // A new stamp ends every other session of this user (see AccountsModule's cookie validation).
        user.SecurityStamp = NewStamp();
    }

    private static string NewStamp() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    private static readonly string DummyHash = new PasswordHasher<User>().HashPassword(
        new User { UserName = "", NormalizedUserName = "", DisplayName = "", PasswordHash = "", SecurityStamp = "" }, "not-a-password");
}
