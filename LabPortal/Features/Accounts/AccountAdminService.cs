using System.Text;
using LabPortal.Infrastructure.Audit;
using LabPortal.Infrastructure.Data;
using LabPortal.Infrastructure.Forms;
using LabPortal.Infrastructure.Localization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LabPortal.Features.Accounts;

/// <summary>
/// What an administrator does to accounts: invite instructors, disable and enable accounts, reset a student's
/// password. Each action leaves an audit entry. Invitations are Identity password-reset tokens: they expire
/// (<see cref="AccountsOptions.InvitationLifetime"/>) and choosing the password spends them (new security stamp).
/// </summary>
public sealed class AccountAdminService(
    UserManager<User> users,
    AccountService accounts,
    PortalDbContext db,
    AuditLog audit,
    IOptions<AccountsOptions> options,
    TimeProvider time)
{
    public async Task<IReadOnlyList<StaffAccount>> ListStaffAsync(CancellationToken cancellationToken = default)
    {
        var staffRoles = new[] { Roles.AdministratorId, Roles.InstructorId };
        var rows = await db.Users
            .Where(u => db.UserRoles.Any(r => r.UserId == u.Id && staffRoles.Contains(r.RoleId)))
            .OrderBy(u => u.Id)
            .Select(u => new
            {
                u.Id,
                u.UserName,
                u.DisplayName,
                IsAdministrator = db.UserRoles.Any(r => r.UserId == u.Id && r.RoleId == Roles.AdministratorId),
                u.InvitationPending,
                u.DisabledAtUtc,
            })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new StaffAccount(r.Id, r.UserName!, r.DisplayName, r.IsAdministrator, r.InvitationPending, r.DisabledAtUtc is not null)).ToList();
    }

    /// <summary>
    /// Creates the instructor's account (no password of theirs yet) and the link with which they choose one.
    /// <paramref name="baseUri"/> is the portal's address as the administrator sees it.
    /// </summary>
    public async Task<FormResult<Invitation>> InviteInstructorAsync(int actorId, InviteInstructorInput input, string baseUri, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>();
        if (AccountRules.CheckUserName(input.UserName) is { } nameError)
        {
            errors[nameof(input.UserName)] = nameError;
        }
        else if (await accounts.UserNameTakenAsync(input.UserName!))
        {
            errors[nameof(input.UserName)] = NameTaken;
        }

        var displayName = string.IsNullOrWhiteSpace(input.DisplayName) ? input.UserName : input.DisplayName;
        if (errors.Count == 0 && AccountRules.CheckUserName(displayName) is { } displayError)
        {
            errors[nameof(input.DisplayName)] = displayError;
        }

        if (errors.Count > 0)
        {
            return FormResult.Invalid<Invitation>(errors);
        }

        // A password nobody knows until the invitee chooses theirs.
        var user = accounts.NewUser(input.UserName!, displayName!, mustChangePassword: false);
        user.InvitationPending = true;
        IdentityResult created;
        try
        {
            created = await accounts.CreateAsync(user, AccountService.GeneratePassword() + AccountService.GeneratePassword(), [Roles.Instructor], cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return FormResult.Invalid<Invitation>(new() { [nameof(input.UserName)] = NameTaken });
        }

        if (!created.Succeeded)
        {
            db.ChangeTracker.Clear();
            return FormResult.Invalid<Invitation>(new() { [nameof(input.UserName)] = NameTaken });
        }

        var token = await users.GeneratePasswordResetTokenAsync(user);
        var link = $"{baseUri.TrimEnd('/')}/account/invitation/{user.Id}/{WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token))}";
        var expires = time.GetUtcNow() + options.Value.InvitationLifetime;
        await audit.WriteAsync(new AuditRecord(AuditActions.InstructorInvited, AuditLog.Succeeded, $"Invited {user.UserName}; the link works once, until {expires:yyyy-MM-dd HH:mm} UTC.") { ActorUserId = actorId, SubjectUserId = user.Id }, cancellationToken);
        return FormResult.Ok(new Invitation(user.UserName!, link, expires));
    }

    /// <summary>The invited user if the link still works (not expired, not used); otherwise null.</summary>
    public async Task<User?> FindInvitationAsync(int userId, string encodedToken)
    {
        var user = await users.FindByIdAsync(userId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (user is not { InvitationPending: true, DisabledAtUtc: null } || Decode(encodedToken) is not { } token)
        {
            return null;
        }

        return await users.VerifyUserTokenAsync(user, users.Options.Tokens.PasswordResetTokenProvider, UserManager<User>.ResetPasswordTokenPurpose, token)
            ? user
            : null;
    }

    /// <summary>The invitee chooses a password: the link is spent and they are signed in.</summary>
    public async Task<FormResult<User>> AcceptInvitationAsync(int userId, string encodedToken, AcceptInvitationInput input, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>();
        if (AccountRules.CheckNewPassword(input.Password) is { } passwordError)
        {
            errors[nameof(input.Password)] = passwordError;
        }
        else if (AccountRules.CheckConfirmation(input.Password, input.ConfirmPassword) is { } confirmError)
        {
            errors[nameof(input.ConfirmPassword)] = confirmError;
        }

        if (errors.Count > 0)
        {
            return FormResult.Invalid<User>(errors);
        }

        var user = await FindInvitationAsync(userId, encodedToken);
        if (user is null)
        {
            return FormResult.Invalid<User>(new() { [nameof(input.Password)] = LinkSpent });
        }

        user.InvitationPending = false;
        var reset = await users.ResetPasswordAsync(user, Decode(encodedToken)!, input.Password!);
        if (!reset.Succeeded)
        {
            user.InvitationPending = true;
            return FormResult.Invalid<User>(new() { [nameof(input.Password)] = LinkSpent });
        }

        await audit.WriteAsync(new AuditRecord(AuditActions.InvitationAccepted, AuditLog.Succeeded, $"{user.UserName} chose a password.") { ActorUserId = user.Id, SubjectUserId = user.Id }, cancellationToken);
        return FormResult.Ok(user);
    }

    /// <summary>Disables an account (it cannot sign in; every session ends at once) or enables it again.</summary>
    public async Task<FormResult<int>> SetDisabledAsync(int actorId, AccountStatusInput input, CancellationToken cancellationToken = default)
    {
        var user = await users.FindByIdAsync(input.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (user is null)
        {
            return FormResult.Invalid<int>(new() { [nameof(input.UserId)] = L.T("No such account.", "그런 계정이 없습니다.") });
        }

        if (input.Disable && user.Id == actorId)
        {
            return FormResult.Invalid<int>(new() { [nameof(input.UserId)] = L.T("You cannot disable your own account.", "자신의 계정은 사용 중지할 수 없습니다.") });
        }

        if (input.Disable)
        {
            user.DisabledAtUtc = time.GetUtcNow().UtcDateTime;
            user.LockoutEnabled = true;
            user.LockoutEnd = DateTimeOffset.MaxValue;
        }
        else
        {
            user.DisabledAtUtc = null;
            user.LockoutEnd = null;
            user.AccessFailedCount = 0;
        }

        // A new stamp: the cookies of the account's open sessions stop working on their next request.
        var updated = await users.UpdateSecurityStampAsync(user);
        if (!updated.Succeeded)
        {
            throw new InvalidOperationException("Could not save the account: " + string.Join(" ", updated.Errors.Select(e => e.Description)));
        }

        await audit.WriteAsync(new AuditRecord(input.Disable ? AuditActions.AccountDisabled : AuditActions.AccountEnabled, AuditLog.Succeeded, user.UserName!) { ActorUserId = actorId, SubjectUserId = user.Id }, cancellationToken);
        return FormResult.Ok(user.Id);
    }

    /// <summary>A new one-time password for a student (shown once); their sessions end and the next sign-in must change it.</summary>
    public async Task<FormResult<OneTimePassword>> ResetStudentPasswordAsync(int actorId, ResetStudentPasswordInput input, CancellationToken cancellationToken = default)
    {
        var user = string.IsNullOrWhiteSpace(input.UserName) ? null : await users.FindByNameAsync(input.UserName.Trim());
        if (user is null || !await users.IsInRoleAsync(user, Roles.Student) || await users.IsInRoleAsync(user, Roles.Instructor))
        {
            return FormResult.Invalid<OneTimePassword>(new() { [nameof(input.UserName)] = L.T("No student has this name.", "이 이름의 학생이 없습니다.") });
        }

        var password = AccountService.GeneratePassword();
        var token = await users.GeneratePasswordResetTokenAsync(user);
        user.MustChangePassword = true;
        var reset = await users.ResetPasswordAsync(user, token, password);
        if (!reset.Succeeded)
        {
            throw new InvalidOperationException("Could not reset the password: " + string.Join(" ", reset.Errors.Select(e => e.Description)));
        }

        // A lockout from the forgotten password's attempts ends with the reset (a disabled account stays disabled).
        if (user.DisabledAtUtc is null)
        {
            await users.ResetAccessFailedCountAsync(user);
            await users.SetLockoutEndDateAsync(user, null);
        }
        await audit.WriteAsync(new AuditRecord(AuditActions.StudentPasswordReset, AuditLog.Succeeded, $"One-time password issued to {user.UserName}.") { ActorUserId = actorId, SubjectUserId = user.Id }, cancellationToken);
        return FormResult.Ok(new OneTimePassword(user.UserName!, user.DisplayName, password));
    }

    private static string? Decode(string encodedToken)
    {
        try
        {
            return Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(encodedToken));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string NameTaken => L.T("This name is taken.", "이미 쓰이는 이름입니다.");

    private static string LinkSpent => L.T("This invitation link has expired or was already used. Ask your administrator for a new one.", "이 초대 링크는 만료되었거나 이미 사용되었습니다. 관리자에게 새 링크를 요청하세요.");
}
