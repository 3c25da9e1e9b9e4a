using System.Security.Cryptography;
using System.Text.RegularExpressions;
using LabPortal.Features.Accounts;
using LabPortal.Infrastructure.Data;
using LabPortal.Infrastructure.Forms;
using LabPortal.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace LabPortal.Features.Classes;

/// <summary>Classes: creating them, listing an instructor's, joining one as a student.</summary>
public sealed partial class ClassService(PortalDbContext db, AccountService accounts, TimeProvider time, LabPortal.Infrastructure.Live.RunChanges changes)
{
    // No look-alike characters (0/O, 1/I), so a code read aloud or from a projector is typed right.
    private const string JoinCodeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public async Task<IReadOnlyList<ClassSummary>> ListForInstructorAsync(int instructorId, CancellationToken cancellationToken = default) =>
        await db.ClassMemberships
            .Where(m => m.UserId == instructorId && m.Role == UserRole.Instructor)
            .OrderByDescending(m => m.Classroom.CreatedAtUtc)
            .Select(m => new ClassSummary(
                m.Classroom.Id,
                m.Classroom.Name,
                m.Classroom.JoinCode,
                m.Classroom.Memberships.Count(s => s.Role == UserRole.Student),
                m.Classroom.CreatedAtUtc))
            .ToListAsync(cancellationToken);

    /// <summary>The class if <paramref name="instructorId"/> is one of its instructors; otherwise null.</summary>
    public async Task<ClassDetail?> GetForInstructorAsync(int classId, int instructorId, CancellationToken cancellationToken = default)
    {
        var classroom = await db.Classrooms
            .Where(c => c.Id == classId && c.Memberships.Any(m => m.UserId == instructorId && m.Role == UserRole.Instructor))
            .Select(c => new { c.Id, c.Name, c.JoinCode, c.CreatedAtUtc })
            .SingleOrDefaultAsync(cancellationToken);
        if (classroom is null)
        {
            return null;
        }

        var students = await db.ClassMemberships
            .Where(m => m.ClassroomId == classId && m.Role == UserRole.Student)
            .OrderBy(m => m.User.DisplayName)
            .Select(m => new StudentSummary(m.UserId, m.User.DisplayName, m.JoinedAtUtc))
            .ToListAsync(cancellationToken);
        return new ClassDetail(classroom.Id, classroom.Name, classroom.JoinCode, classroom.CreatedAtUtc, students);
    }

    /// <summary>The class a join code opens and its instructors' names, for the join page; null for an unknown code.</summary>
    public async Task<JoinTarget?> FindByCodeAsync(string? code, CancellationToken cancellationToken = default)
    {
        var normalized = NormalizeCode(code);
        if (normalized.Length == 0)
        {
            return null;
        }

        var found = await db.Classrooms
            .Where(c => c.JoinCode == normalized)
            .Select(c => new { c.Name, Instructors = c.Memberships.Where(m => m.Role == UserRole.Instructor).OrderBy(m => m.JoinedAtUtc).Select(m => m.User.DisplayName).ToList() })
            .SingleOrDefaultAsync(cancellationToken);
        return found is null ? null : new JoinTarget(found.Name, found.Instructors);
    }

    /// <summary>The classes a student is in, newest membership first (the lab list confirms a join with them).</summary>
    public async Task<IReadOnlyList<JoinTarget>> ClassesOfStudentAsync(int userId, CancellationToken cancellationToken = default)
    {
        var found = await db.ClassMemberships
            .Where(m => m.UserId == userId && m.Role == UserRole.Student)
            .OrderByDescending(m => m.JoinedAtUtc)
            .Select(m => new { m.Classroom.Name, Instructors = m.Classroom.Memberships.Where(i => i.Role == UserRole.Instructor).OrderBy(i => i.JoinedAtUtc).Select(i => i.User.DisplayName).ToList() })
            .ToListAsync(cancellationToken);
        return [.. found.Select(f => new JoinTarget(f.Name, f.Instructors))];
    }

    public Task<bool> ExistsAsync(int classId, CancellationToken cancellationToken = default) =>
        db.Classrooms.AnyAsync(c => c.Id == classId, cancellationToken);

    /// <summary>Creates a class owned by the instructor; an empty join code gets a generated one.</summary>
    public async Task<FormResult<int>> CreateAsync(int instructorId, CreateClassInput input, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>();
        var name = input.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            errors[nameof(input.Name)] = L.T("Enter a class name.", "수업 이름을 입력하세요.");
        }
        else if (name.Length > 80)
        {
            errors[nameof(input.Name)] = L.T("A class name has at most 80 characters.", "수업 이름은 80자 이하여야 합니다.");
        }

        var code = NormalizeCode(input.JoinCode);
        if (code.Length > 0 && !JoinCodeRegex().IsMatch(code))
        {
            errors[nameof(input.JoinCode)] = L.T("A join code has 4 to 12 letters or digits.", "참여 코드는 4~12자의 영문자나 숫자여야 합니다.");
        }
        else if (code.Length > 0 && await db.Classrooms.AnyAsync(c => c.JoinCode == code, cancellationToken))
        {
            errors[nameof(input.JoinCode)] = L.T("Another class uses this join code. Choose another or leave it empty for a generated one.",
                                                "다른 수업이 이 참여 코드를 쓰고 있습니다. 다른 코드를 정하거나 비워 두면 자동으로 만듭니다.");
        }

        if (errors.Count > 0)
        {
            return FormResult.Invalid<int>(errors);
        }

        if (code.Length == 0)
        {
            do
            {
                code = RandomNumberGenerator.GetString(JoinCodeAlphabet, 6);
            }
            while (await db.Classrooms.AnyAsync(c => c.JoinCode == code, cancellationToken));
        }

        var now = time.GetUtcNow().UtcDateTime;
        var classroom = new Classroom { Name = name, JoinCode = code, CreatedAtUtc = now };
        classroom.Memberships.Add(new ClassMembership { UserId = instructorId, Role = UserRole.Instructor, JoinedAtUtc = now });
        db.Classrooms.Add(classroom);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another request took the same code between our check and the insert.
            db.ChangeTracker.Clear();
            if (!await db.Classrooms.AnyAsync(c => c.JoinCode == code, cancellationToken))
            {
                throw;
            }

            return FormResult.Invalid<int>(new() { [nameof(input.JoinCode)] = L.T("Another class uses this join code.", "다른 수업이 이 참여 코드를 쓰고 있습니다.") });
        }

        return FormResult.Ok(classroom.Id);
    }

    /// <summary>A student joins with the code, a display name (their sign-in name) and a password.</summary>
    public async Task<FormResult<User>> JoinAsync(JoinClassInput input, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>();
        var code = NormalizeCode(input.JoinCode);
        Classroom? classroom = null;
        if (code.Length == 0)
        {
            errors[nameof(input.JoinCode)] = L.T("Enter the join code your instructor gave you.", "강사에게 받은 참여 코드를 입력하세요.");
        }
        else
        {
            classroom = await db.Classrooms.SingleOrDefaultAsync(c => c.JoinCode == code, cancellationToken);
            if (classroom is null)
            {
                errors[nameof(input.JoinCode)] = L.T("No class has this join code. Check it with your instructor.", "이 참여 코드를 가진 수업이 없습니다. 강사에게 코드를 확인하세요.");
            }
        }

        if (AccountRules.CheckUserName(input.DisplayName) is { } nameError)
        {
            errors[nameof(input.DisplayName)] = nameError;
        }
        else if (await accounts.UserNameTakenAsync(input.DisplayName!))
        {
            errors[nameof(input.DisplayName)] = L.T("This name is taken. Add a number or your family name.", "이미 쓰이는 이름입니다. 숫자나 성을 덧붙이세요.");
        }

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

        var user = accounts.NewUser(input.DisplayName!, input.DisplayName!, mustChangePassword: false);
        user.Memberships.Add(new ClassMembership { ClassroomId = classroom!.Id, Role = UserRole.Student, JoinedAtUtc = user.CreatedAtUtc });
        var nameTaken = L.T("This name is taken. Add a number or your family name.", "이미 쓰이는 이름입니다. 숫자나 성을 덧붙이세요.");
        Microsoft.AspNetCore.Identity.IdentityResult created;
        try
        {
            created = await accounts.CreateAsync(user, input.Password!, [Roles.Student], cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another student took the same name between our check and the insert.
            db.ChangeTracker.Clear();
            if (!await accounts.UserNameTakenAsync(input.DisplayName!))
            {
                throw;
            }

            return FormResult.Invalid<User>(new() { [nameof(input.DisplayName)] = nameTaken });
        }

        if (!created.Succeeded)
        {
            db.ChangeTracker.Clear();
            return created.Errors.Any(e => e.Code == nameof(Microsoft.AspNetCore.Identity.IdentityErrorDescriber.DuplicateUserName))
                ? FormResult.Invalid<User>(new() { [nameof(input.DisplayName)] = nameTaken })
                : throw new InvalidOperationException("Identity refused a student account the form accepted: " + string.Join(" ", created.Errors.Select(e => e.Description)));
        }

        // The class's open dashboards count the newcomer among those who have not started yet.
        changes.PublishClassMembers(classroom!.Id);
        return FormResult.Ok(user);
    }

    public static string NormalizeCode(string? code) => (code ?? "").Trim().ToUpperInvariant();

    [GeneratedRegex("^[A-Z0-9]{4,12}$")]
    private static partial Regex JoinCodeRegex();
}
