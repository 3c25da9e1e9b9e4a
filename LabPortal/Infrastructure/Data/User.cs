using Microsoft.AspNetCore.Identity;

namespace LabPortal.Infrastructure.Data;

/// <summary>
/// A person who signs in, stored by ASP.NET Core Identity in the <c>Users</c> table: user name, password hash
/// (PasswordHasher V3), security stamp, lockout. What they may do comes from their roles (<see cref="Roles"/>);
/// what they are in a class from <see cref="ClassMembership.Role"/>.
/// </summary>
public sealed class User : IdentityUser<int>
{
    public required string DisplayName { get; set; }

    /// <summary>Set for a generated one-time password: the next sign-in must choose a new one.</summary>
    public bool MustChangePassword { get; set; }

    public DateTime CreatedAtUtc { get; set; }

    /// <summary>Invited by an administrator and not yet accepted: no password of the user's own yet.</summary>
    public bool InvitationPending { get; set; }

    /// <summary>Set while an administrator has disabled the account (it cannot sign in; its sessions ended).</summary>
    public DateTime? DisabledAtUtc { get; set; }

    public List<ClassMembership> Memberships { get; set; } = [];

    /// <summary>How user names are compared (regardless of case and surrounding spaces); Identity's lookup normalizer.</summary>
    public static string Normalize(string userName) => userName.Trim().ToUpperInvariant();
}
