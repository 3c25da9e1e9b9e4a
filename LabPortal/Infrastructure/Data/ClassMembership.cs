namespace LabPortal.Infrastructure.Data;

/// <summary>Links a user to a class, as one of its instructors or one of its students.</summary>
public sealed class ClassMembership
{
    public int ClassroomId { get; set; }

    public Classroom Classroom { get; set; } = null!;

    public int UserId { get; set; }

    public User User { get; set; } = null!;

    public UserRole Role { get; set; }

    public DateTime JoinedAtUtc { get; set; }
}
