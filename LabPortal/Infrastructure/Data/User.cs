namespace LabPortal.Infrastructure.Data;

/// <summary>A person who signs in: an instructor or a student.</summary>
public sealed class User
{
    public int Id { get; set; }

    /// <summary>The name typed at sign-in; unique regardless of case (see <see cref="NormalizedUserName"/>).</summary>
    public required string UserName { get; set; }

    public required string NormalizedUserName { get; set; }

    public required string DisplayName { get; set; }

    public required string PasswordHash { get; set; }

    public UserRole Role { get; set; }

    /// <summary>Set for a generated one-time password: the next sign-in must choose a new one.</summary>
    public bool MustChangePassword { get; set; }

    public int FailedSignInCount { get; set; }

    public DateTime? LockedOutUntilUtc { get; set; }

    public DateTime CreatedAtUtc { get; set; }

    /// <summary>Changes on every password change; a cookie carrying an older stamp is rejected.</summary>
    public required string SecurityStamp { get; set; }

    public List<ClassMembership> Memberships { get; set; } = [];

    public static string Normalize(string userName) => userName.Trim().ToUpperInvariant();
}
