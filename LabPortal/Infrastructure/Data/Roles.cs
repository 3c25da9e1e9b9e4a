using Microsoft.AspNetCore.Identity;

namespace LabPortal.Infrastructure.Data;

/// <summary>
/// The portal-wide roles, seeded with the schema. An administrator manages accounts; an instructor creates
/// classes (and sees those they are a member of); a student takes labs.
/// </summary>
public static class Roles
{
    public const string Administrator = "Administrator";
    public const string Instructor = "Instructor";
    public const string Student = "Student";

    public const int AdministratorId = 1;
    public const int InstructorId = 2;
    public const int StudentId = 3;

    /// <summary>The rows of <c>AspNetRoles</c> (fixed ids and stamps: they are part of the migrations).</summary>
    public static IReadOnlyList<IdentityRole<int>> Seeded { get; } =
    [
        new() { Id = AdministratorId, Name = Administrator, NormalizedName = "ADMINISTRATOR", ConcurrencyStamp = "2c7a3f0e-role-administrator" },
        new() { Id = InstructorId, Name = Instructor, NormalizedName = "INSTRUCTOR", ConcurrencyStamp = "5b19d4a2-role-instructor" },
        new() { Id = StudentId, Name = Student, NormalizedName = "STUDENT", ConcurrencyStamp = "8e60c1b7-role-student" },
    ];
}
