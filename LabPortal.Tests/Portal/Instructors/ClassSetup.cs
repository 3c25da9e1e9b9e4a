using LabPortal.Features.Accounts;
using LabPortal.Infrastructure.Data;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.Portal.Instructors;

/// <summary>A class made through the pages (instructor creates it, students join), with runs written straight to the database.</summary>
public sealed class ClassSetup(PortalFactory factory, int classId, IReadOnlyDictionary<string, int> students)
{
    public int ClassId => classId;

    public int StudentId(string name) => students[name];

    public static async Task<ClassSetup> CreateAsync(PortalFactory factory, string code, params string[] studentNames)
    {
        await Students.CreateClassAsync(factory, code);
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var name in studentNames)
        {
            (await Students.JoinAsync(factory, code, name)).Dispose();
        }

        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var classId = await db.Classrooms.Where(c => c.JoinCode == code).Select(c => c.Id).SingleAsync();
        foreach (var name in studentNames)
        {
            ids[name] = await db.Users.Where(u => u.DisplayName == name).Select(u => u.Id).SingleAsync();
        }

        return new ClassSetup(factory, classId, ids);
    }

    /// <summary>The same class written straight to the database (for a factory whose in-memory client cannot be used, e.g. on Kestrel).</summary>
    public static async Task<ClassSetup> CreateInDatabaseAsync(PortalFactory factory, string code, params string[] studentNames)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        var teacher = await db.Users.SingleAsync(u => u.UserName == PortalFactory.InstructorUserName);
        var classroom = new Classroom { Name = "Class " + code, JoinCode = code, CreatedAtUtc = DateTime.UtcNow };
        classroom.Memberships.Add(new ClassMembership { UserId = teacher.Id, Role = UserRole.Instructor, JoinedAtUtc = DateTime.UtcNow });
        db.Classrooms.Add(classroom);
        await db.SaveChangesAsync();
        var users = new List<User>();
        foreach (var name in studentNames)
        {
            var user = await accounts.CreateUserAsync(name, name, name + "-password", mustChangePassword: false, Roles.Student);
            user.Memberships.Add(new ClassMembership { ClassroomId = classroom.Id, Role = UserRole.Student, JoinedAtUtc = DateTime.UtcNow });
            users.Add(user);
        }

        await db.SaveChangesAsync();
        return new ClassSetup(factory, classroom.Id, users.ToDictionary(u => u.DisplayName, u => u.Id, StringComparer.Ordinal));
    }

    /// <summary>Another instructor with a class of their own; returns a signed-in client.</summary>
    public static async Task<PortalClient> OtherInstructorAsync(PortalFactory factory, string userName)
    {
        using (var scope = factory.Services.CreateScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
            await accounts.CreateUserAsync(userName, userName, userName + "-password", mustChangePassword: false, Roles.Instructor);
        }

        var client = factory.CreatePortalClient();
        var response = await client.SignInAsync(userName, userName + "-password");
        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        var (created, _) = await client.SubmitAsync("/classes", "#create-class-form", new Dictionary<string, string> { ["Input.Name"] = userName + "'s class", ["Input.JoinCode"] = "" });
        Assert.Equal(System.Net.HttpStatusCode.Redirect, created.StatusCode);
        return client;
    }

    public async Task<PortalClient> SignInStudentAsync(string name, string acceptLanguage = "en")
    {
        var client = factory.CreatePortalClient(acceptLanguage);
        var response = await client.SignInAsync(name, name + "-password");
        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    /// <summary>A run of <paramref name="labId"/> for the student, with one step run per (step, status) given.</summary>
    public async Task<int> AddRunAsync(string student, string labId, DateTime startedAtUtc, params (string StepId, StepRunStatus Status)[] steps)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var run = new LabRun
        {
            UserId = students[student],
            LabId = labId,
            Status = LabRunStatus.Active,
            NamePrefix = "lp" + Guid.NewGuid().ToString("N")[..6],
            StartedAtUtc = startedAtUtc,
            LastActivityAtUtc = startedAtUtc,
        };
        foreach (var (stepId, status) in steps)
        {
            run.Steps.Add(new StepRun { StepId = stepId, Status = status, Attempts = 1, CreatedAtUtc = startedAtUtc, StartedAtUtc = startedAtUtc, FinishedAtUtc = status is StepRunStatus.Succeeded or StepRunStatus.Failed ? startedAtUtc : null });
        }

        db.LabRuns.Add(run);
        await db.SaveChangesAsync();
        return run.Id;
    }

    public async Task ChangeAsync(Func<PortalDbContext, Task> change)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        await change(db);
        await db.SaveChangesAsync();
    }
}
