using LabPortal.Infrastructure.Audit;
using LabPortal.Infrastructure.Data;
using LabPortal.Infrastructure.Forms;
using LabPortal.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace LabPortal.Features.Instructors;

public sealed class AddCoTeacherInput
{
    public string? UserName { get; set; }
}

/// <summary>A class's instructor as its instructors page lists them.</summary>
public sealed record ClassInstructor(int UserId, string UserName, string DisplayName, DateTime JoinedAtUtc);

/// <summary>A class's instructors (co-teachers): every one of them sees and runs the class's instructor pages.</summary>
public sealed class CoTeacherService(PortalDbContext db, AuditLog audit, TimeProvider time)
{
    /// <summary>Whether <paramref name="userId"/> is one of the class's instructors.</summary>
    public async Task<ClassAccess> AccessAsync(int userId, int classId, CancellationToken cancellationToken = default)
    {
        var found = await db.Classrooms.Where(c => c.Id == classId)
            .Select(c => new { IsInstructor = c.Memberships.Any(m => m.UserId == userId && m.Role == UserRole.Instructor) })
            .SingleOrDefaultAsync(cancellationToken);
        return found is null ? ClassAccess.NotFound : found.IsInstructor ? ClassAccess.Allowed : ClassAccess.Forbidden;
    }

    public async Task<(string ClassName, IReadOnlyList<ClassInstructor> Instructors)> ListAsync(int classId, CancellationToken cancellationToken = default)
    {
        var name = await db.Classrooms.Where(c => c.Id == classId).Select(c => c.Name).SingleAsync(cancellationToken);
        var instructors = await db.ClassMemberships
            .Where(m => m.ClassroomId == classId && m.Role == UserRole.Instructor)
            .OrderBy(m => m.JoinedAtUtc)
            .Select(m => new ClassInstructor(m.UserId, m.User.UserName!, m.User.DisplayName, m.JoinedAtUtc))
            .ToListAsync(cancellationToken);
        return (name, instructors);
    }

    /// <summary>One of the class's instructors adds another instructor (an account with the Instructor role) to it.</summary>
    public async Task<FormResult<ClassInstructor>> AddAsync(int actorId, int classId, AddCoTeacherInput input, CancellationToken cancellationToken = default)
    {
        if (await AccessAsync(actorId, classId, cancellationToken) != ClassAccess.Allowed)
        {
            throw new UnauthorizedAccessException("Only the class's instructors add co-teachers.");
        }

        var normalized = User.Normalize(input.UserName ?? "");
        var instructor = normalized.Length == 0
            ? null
            : await db.Users.Where(u => u.NormalizedUserName == normalized && u.DisabledAtUtc == null && db.UserRoles.Any(r => r.UserId == u.Id && r.RoleId == Roles.InstructorId))
                .Select(u => new { u.Id, u.UserName, u.DisplayName })
                .SingleOrDefaultAsync(cancellationToken);
        if (instructor is null)
        {
            return FormResult.Invalid<ClassInstructor>(new() { [nameof(input.UserName)] = L.T("No instructor has this user name.", "이 사용자 이름의 강사가 없습니다.") });
        }

        if (await db.ClassMemberships.AnyAsync(m => m.ClassroomId == classId && m.UserId == instructor.Id, cancellationToken))
        {
            return FormResult.Invalid<ClassInstructor>(new() { [nameof(input.UserName)] = L.T("This person is already in the class.", "이미 이 수업에 있는 사람입니다.") });
        }

        var now = time.GetUtcNow().UtcDateTime;
        db.ClassMemberships.Add(new ClassMembership { ClassroomId = classId, UserId = instructor.Id, Role = UserRole.Instructor, JoinedAtUtc = now });
        await audit.WriteAsync(new AuditRecord(AuditActions.CoTeacherAdded, AuditLog.Succeeded, $"{instructor.UserName} teaches the class too.") { ActorUserId = actorId, ClassroomId = classId, SubjectUserId = instructor.Id }, cancellationToken);
        return FormResult.Ok(new ClassInstructor(instructor.Id, instructor.UserName!, instructor.DisplayName, now));
    }
}
