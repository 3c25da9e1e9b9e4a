using System.Net;
using LabPortal.Features.Accounts;
using LabPortal.Infrastructure.Data;
using LabPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.Portal.Accounts;

/// <summary>
/// Who reaches the account pages of issue 16 and the class pages co-teachers share: the administrator (the
/// seeded first account, a member of no class here), the class's instructor, its co-teacher, one of its students
/// and an anonymous visitor.
/// </summary>
public sealed class AccountPagesAuthorizationTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private PortalFactory _factory = null!;
    private int _classId;
    private int _studentId;

    public async Task InitializeAsync()
    {
        _factory = new PortalFactory(_data.Path);
        using var scope = _factory.Services.CreateScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var owner = await accounts.CreateUserAsync("owner", "owner", "owner-password", mustChangePassword: false, Roles.Instructor);
        var coTeacher = await accounts.CreateUserAsync("co.teacher", "co.teacher", "co.teacher-password", mustChangePassword: false, Roles.Instructor);
        var student = await accounts.CreateUserAsync("student", "student", "student-password", mustChangePassword: false, Roles.Student);
        var classroom = new Classroom { Name = "Matrix class", JoinCode = "MATRIX1", CreatedAtUtc = DateTime.UtcNow };
        classroom.Memberships.Add(new ClassMembership { UserId = owner.Id, Role = UserRole.Instructor, JoinedAtUtc = DateTime.UtcNow });
        classroom.Memberships.Add(new ClassMembership { UserId = coTeacher.Id, Role = UserRole.Instructor, JoinedAtUtc = DateTime.UtcNow });
        classroom.Memberships.Add(new ClassMembership { UserId = student.Id, Role = UserRole.Student, JoinedAtUtc = DateTime.UtcNow });
        db.Classrooms.Add(classroom);
        await db.SaveChangesAsync();
        (_classId, _studentId) = (classroom.Id, student.Id);
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        _data.Dispose();
    }

    private static readonly string[] Columns = ["administrator", "instructor", "co-teacher", "student", "anonymous"];

    public static TheoryData<string> People => new(Columns);

    /// <summary>The expected answer per page, in the order of <see cref="People"/> (302: sent to sign in).</summary>
    private Dictionary<string, int[]> Matrix => new(StringComparer.Ordinal)
    {
        ["/admin/accounts"] = [200, 403, 403, 403, 302],
        [$"/classes/{_classId}/instructors"] = [403, 200, 200, 403, 302],
        [$"/classes/{_classId}/dashboard"] = [403, 200, 200, 403, 302],
        [$"/classes/{_classId}"] = [403, 200, 200, 403, 302],
        [$"/classes/{_classId}/learners/{_studentId}"] = [403, 200, 200, 403, 302],
    };

    [Theory]
    [MemberData(nameof(People))]
    public async Task Each_page_answers_as_the_matrix_says(string person)
    {
        var column = Array.IndexOf(Columns, person);
        using var client = await ClientAsync(person);

        foreach (var (url, expected) in Matrix)
        {
            Assert.Equal((url, (HttpStatusCode)expected[column]), (url, await InstructorManagementTests.StatusAsync(client, url)));
        }
    }

    [Theory]
    [MemberData(nameof(People))]
    public async Task Only_the_administrator_may_post_an_account_change(string person)
    {
        using var client = await ClientAsync(person);
        var ownerId = await OwnerIdAsync();
        HttpResponseMessage response;
        if (person == "administrator")
        {
            (response, _) = await client.SubmitAsync("/admin/accounts", $"form.lp-status-form[data-user='{ownerId}']", new Dictionary<string, string>());
        }
        else
        {
            // No form to take a token from: the post is refused before its token would be checked.
            using var content = new FormUrlEncodedContent([]);
            response = await client.Http.PostAsync($"/admin/accounts/{ownerId}/disable", content);
        }

        var expected = person switch
        {
            "administrator" => HttpStatusCode.Redirect,
            "anonymous" => HttpStatusCode.Redirect,
            _ => HttpStatusCode.Forbidden,
        };
        Assert.Equal(expected, response.StatusCode);
        if (person == "anonymous")
        {
            Assert.Contains("/account/login", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }

        using var scope = _factory.Services.CreateScope();
        var owner = await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<User>>().FindByNameAsync("owner");
        Assert.Equal((person, person == "administrator"), (person, owner!.DisabledAtUtc is not null));
    }

    [Fact]
    public async Task An_invitation_link_that_never_was_is_gone_for_everyone()
    {
        using var anonymous = _factory.CreatePortalClient();
        Assert.Equal(HttpStatusCode.Gone, await InstructorManagementTests.StatusAsync(anonymous, $"/account/invitation/{_studentId}/bm90LWEtdG9rZW4"));
        Assert.Equal(HttpStatusCode.Gone, await InstructorManagementTests.StatusAsync(anonymous, "/account/invitation/999999/%25%25%25"));
    }

    private async Task<int> OwnerIdAsync()
    {
        using var scope = _factory.Services.CreateScope();
        return (await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<User>>().FindByNameAsync("owner"))!.Id;
    }

    private async Task<PortalClient> ClientAsync(string person)
    {
        var client = _factory.CreatePortalClient();
        var (userName, password) = person switch
        {
            "administrator" => (PortalFactory.InstructorUserName, PortalFactory.InstructorPassword),
            "instructor" => ("owner", "owner-password"),
            "co-teacher" => ("co.teacher", "co.teacher-password"),
            "student" => ("student", "student-password"),
            _ => (null, null),
        };
        if (userName is not null)
        {
            Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(userName, password!)).StatusCode);
        }

        return client;
    }
}
