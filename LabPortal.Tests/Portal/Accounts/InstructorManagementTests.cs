using System.Net;
using LabPortal.Features.Accounts;
using LabPortal.Infrastructure.Audit;
using LabPortal.Infrastructure.Data;
using LabPortal.Tests.Portal.Instructors;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.Portal.Accounts;

/// <summary>
/// The administrator's account work (issue 16) through the pages: invitations, co-teachers, disabling and
/// enabling accounts, a student's password reset; each leaves its audit entry. The seeded first account is the
/// administrator.
/// </summary>
public sealed class InstructorManagementTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private PortalFactory _factory = null!;

    public Task InitializeAsync()
    {
        _factory = new PortalFactory(_data.Path);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task An_invited_instructor_chooses_a_password_once_and_creates_a_class()
    {
        using var admin = await AdministratorAsync(_factory);
        var link = await InviteAsync(admin, "kim.teacher", "Kim Seoyeon");

        using var invitee = _factory.CreatePortalClient();
        var (opened, page) = await invitee.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        Assert.Contains("kim.teacher", page.QuerySelector("#invitation-for")!.TextContent, StringComparison.Ordinal);
        using (var early = _factory.CreatePortalClient())
        {
            // Until the invitee chooses it, no password signs the account in.
            Assert.Equal(HttpStatusCode.BadRequest, (await early.SignInAsync("kim.teacher", "kim-chose-this-1")).StatusCode);
        }

        var (accepted, _) = await invitee.SubmitAsync(link, "#invitation-form", new Dictionary<string, string>
        {
            ["Input.Password"] = "kim-chose-this-1",
            ["Input.ConfirmPassword"] = "kim-chose-this-1",
        });
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.EndsWith("classes", accepted.Headers.Location!.OriginalString, StringComparison.Ordinal);

        var (created, _) = await invitee.SubmitAsync("/classes", "#create-class-form", new Dictionary<string, string> { ["Input.Name"] = "Kim's class", ["Input.JoinCode"] = "" });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);

        // Spent: the link no longer opens, and the password chosen with it signs in.
        using var again = _factory.CreatePortalClient();
        var (reopened, spent) = await again.GetAsync(link);
        Assert.Equal(HttpStatusCode.Gone, reopened.StatusCode);
        Assert.NotNull(spent.QuerySelector("#invitation-spent"));
        Assert.Null(spent.QuerySelector("#invitation-form"));
        Assert.Equal(HttpStatusCode.Redirect, (await again.SignInAsync("kim.teacher", "kim-chose-this-1")).StatusCode);

        // Shown once: the accounts page lists the instructor, not the link.
        var (_, list) = await admin.GetAsync("/admin/accounts");
        Assert.Contains("kim.teacher", list.QuerySelector("#staff-table")!.TextContent, StringComparison.Ordinal);
        Assert.Null(list.QuerySelector("#invitation-link"));
        Assert.DoesNotContain(link.Split('/')[^1], list.Body!.InnerHtml, StringComparison.Ordinal);

        var kim = await UserIdAsync(_factory, "kim.teacher");
        Assert.Equal([AuditActions.InstructorInvited, AuditActions.InvitationAccepted], await AuditActionsAsync(_factory, kim));
    }

    [Fact]
    public async Task An_invitation_link_expires()
    {
        using var data = new TempDirectory();
        await using var factory = new PortalFactory(data.Path, new Dictionary<string, string?> { ["Accounts:InvitationLifetime"] = "00:00:01" });
        using var admin = await AdministratorAsync(factory);
        var link = await InviteAsync(admin, "late.teacher");

        await Task.Delay(TimeSpan.FromSeconds(2.5));

        using var invitee = factory.CreatePortalClient();
        var (opened, page) = await invitee.GetAsync(link);
        Assert.Equal(HttpStatusCode.Gone, opened.StatusCode);
        Assert.NotNull(page.QuerySelector("#invitation-spent"));
    }

    [Fact]
    public async Task An_invitation_for_a_taken_name_is_refused_beside_the_field()
    {
        using var admin = await AdministratorAsync(_factory);
        var (response, page) = await admin.SubmitAsync("/admin/accounts", "#invite-form", new Dictionary<string, string>
        {
            ["Invite.UserName"] = PortalFactory.InstructorUserName.ToUpperInvariant(),
            ["Invite.DisplayName"] = "",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("This name is taken.", page.QuerySelector("#invite-username-error")!.TextContent.Trim());
        Assert.Null(page.QuerySelector("#invitation-link"));
    }

    [Fact]
    public async Task A_co_teacher_sees_the_class_and_another_instructor_gets_403()
    {
        var setup = await ClassSetup.CreateAsync(_factory, "COTEACH1", "Minji");
        await CreateInstructorAsync(_factory, "co.teacher");
        using var coTeacher = await SignedInAsync(_factory, "co.teacher");
        using var other = await ClassSetup.OtherInstructorAsync(_factory, "other.teacher");
        string[] urls = [$"/classes/{setup.ClassId}/dashboard", $"/classes/{setup.ClassId}", $"/classes/{setup.ClassId}/learners/{setup.StudentId("Minji")}", $"/classes/{setup.ClassId}/instructors"];
        foreach (var url in urls)
        {
            Assert.Equal((url, HttpStatusCode.Forbidden), (url, await StatusAsync(coTeacher, url)));
        }

        using var teacher = await AdministratorAsync(_factory);
        var (added, page) = await teacher.SubmitAsync($"/classes/{setup.ClassId}/instructors", "#co-teacher-form", new Dictionary<string, string> { ["Input.UserName"] = "co.teacher" });
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.NotNull(page.QuerySelector("#added-message"));
        Assert.Contains("co.teacher", page.QuerySelector("#instructors-table")!.TextContent, StringComparison.Ordinal);

        foreach (var url in urls)
        {
            Assert.Equal((url, HttpStatusCode.OK), (url, await StatusAsync(coTeacher, url)));
            Assert.Equal((url, HttpStatusCode.Forbidden), (url, await StatusAsync(other, url)));
        }

        var (listed, classes) = await coTeacher.GetAsync("/classes");
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Contains("Class COTEACH1", classes.QuerySelector("#classes-table")!.TextContent, StringComparison.Ordinal);

        // A student is not an instructor, and an instructor already in the class is not added twice.
        var (student, studentPage) = await teacher.SubmitAsync($"/classes/{setup.ClassId}/instructors", "#co-teacher-form", new Dictionary<string, string> { ["Input.UserName"] = "Minji" });
        Assert.Equal(HttpStatusCode.BadRequest, student.StatusCode);
        Assert.Equal("No instructor has this user name.", studentPage.QuerySelector("#co-teacher-error")!.TextContent.Trim());
        var (twice, _) = await teacher.SubmitAsync($"/classes/{setup.ClassId}/instructors", "#co-teacher-form", new Dictionary<string, string> { ["Input.UserName"] = "co.teacher" });
        Assert.Equal(HttpStatusCode.BadRequest, twice.StatusCode);

        Assert.Equal([AuditActions.CoTeacherAdded], await AuditActionsAsync(_factory, await UserIdAsync(_factory, "co.teacher")));
    }

    [Fact]
    public async Task A_disabled_account_cannot_sign_in_and_its_open_session_ends()
    {
        var id = await CreateInstructorAsync(_factory, "leaving.teacher");
        using var session = await SignedInAsync(_factory, "leaving.teacher");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(session, "/classes"));

        using var admin = await AdministratorAsync(_factory);
        var (disabled, _) = await admin.SubmitAsync("/admin/accounts", $"form.lp-status-form[data-user='{id}']", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, disabled.StatusCode);
        Assert.Contains("status=disabled", disabled.Headers.Location!.OriginalString, StringComparison.Ordinal);

        // The open session ends at its next request; a new sign-in, even with the right password, is refused.
        var (after, _) = await session.GetAsync("/classes");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Contains("/account/login", after.Headers.Location!.OriginalString, StringComparison.Ordinal);
        using var retry = _factory.CreatePortalClient();
        var (refused, page) = await retry.SubmitAsync("/account/login", "#login-form", new Dictionary<string, string>
        {
            ["Input.UserName"] = "leaving.teacher",
            ["Input.Password"] = "leaving.teacher-password",
        });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("disabled", page.QuerySelector("#login-error")!.TextContent, StringComparison.Ordinal);

        // Enabled again, it signs in as before.
        var (enabled, _) = await admin.SubmitAsync("/admin/accounts", $"form.lp-status-form[data-user='{id}']", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, enabled.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await retry.SignInAsync("leaving.teacher", "leaving.teacher-password")).StatusCode);

        Assert.Equal([AuditActions.AccountDisabled, AuditActions.AccountEnabled], await AuditActionsAsync(_factory, id));
    }

    [Fact]
    public async Task The_administrator_has_no_button_to_disable_their_own_account()
    {
        using var admin = await AdministratorAsync(_factory);
        var self = await UserIdAsync(_factory, PortalFactory.InstructorUserName);
        var (_, page) = await admin.GetAsync("/admin/accounts");

        Assert.NotNull(page.QuerySelector($"#staff-table tr[data-user='{self}']"));
        Assert.Null(page.QuerySelector($"form.lp-status-form[data-user='{self}']"));
    }

    [Fact]
    public async Task A_students_password_reset_works_once()
    {
        var setup = await ClassSetup.CreateAsync(_factory, "RESET01", "Jisoo");
        using var student = await setup.SignInStudentAsync("Jisoo");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(student, "/labs"));

        using var admin = await AdministratorAsync(_factory);
        var (issued, page) = await admin.SubmitAsync("/admin/accounts", "#reset-form", new Dictionary<string, string> { ["Reset.UserName"] = "Jisoo" });
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        var oneTime = page.QuerySelector("#one-time-password")!.GetAttribute("value")!;
        Assert.Equal(16, oneTime.Length);
        var (_, reloaded) = await admin.GetAsync("/admin/accounts");
        Assert.DoesNotContain(oneTime, reloaded.Body!.InnerHtml, StringComparison.Ordinal);

        // The student's open session and old password end with the reset.
        Assert.Equal(HttpStatusCode.Redirect, await StatusAsync(student, "/labs"));
        using var withOld = _factory.CreatePortalClient();
        Assert.Equal(HttpStatusCode.BadRequest, (await withOld.SignInAsync("Jisoo", "Jisoo-password")).StatusCode);

        using var withOneTime = _factory.CreatePortalClient();
        var signedIn = await withOneTime.SignInAsync("Jisoo", oneTime);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.EndsWith("account/change-password", signedIn.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var (changed, _) = await withOneTime.SubmitAsync("/account/change-password", "#change-password-form", new Dictionary<string, string>
        {
            ["Input.NewPassword"] = "jisoo-new-password",
            ["Input.ConfirmPassword"] = "jisoo-new-password",
        });
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(withOneTime, "/labs"));

        using var later = _factory.CreatePortalClient();
        Assert.Equal(HttpStatusCode.BadRequest, (await later.SignInAsync("Jisoo", oneTime)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await later.SignInAsync("Jisoo", "jisoo-new-password")).StatusCode);

        Assert.Equal([AuditActions.StudentPasswordReset], await AuditActionsAsync(_factory, setup.StudentId("Jisoo")));
    }

    [Fact]
    public async Task Only_a_student_password_is_reset_there()
    {
        await CreateInstructorAsync(_factory, "not.a.student");
        using var admin = await AdministratorAsync(_factory);
        var (refused, page) = await admin.SubmitAsync("/admin/accounts", "#reset-form", new Dictionary<string, string> { ["Reset.UserName"] = "not.a.student" });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("No student has this name.", page.QuerySelector("#reset-username-error")!.TextContent.Trim());
        Assert.Null(page.QuerySelector("#one-time-password"));
        using var teacher = _factory.CreatePortalClient();
        Assert.Equal(HttpStatusCode.Redirect, (await teacher.SignInAsync("not.a.student", "not.a.student-password")).StatusCode);
    }

    internal static async Task<PortalClient> AdministratorAsync(PortalFactory factory)
    {
        var client = factory.CreatePortalClient();
        await client.SignInAsInstructorAsync();
        return client;
    }

    internal static async Task<string> InviteAsync(PortalClient admin, string userName, string displayName = "")
    {
        var (response, page) = await admin.SubmitAsync("/admin/accounts", "#invite-form", new Dictionary<string, string>
        {
            ["Invite.UserName"] = userName,
            ["Invite.DisplayName"] = displayName,
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(page.QuerySelector("#invitation-message"));
        return new Uri(page.QuerySelector("#invitation-link")!.GetAttribute("value")!).PathAndQuery;
    }

    internal static async Task<int> CreateInstructorAsync(PortalFactory factory, string userName)
    {
        using var scope = factory.Services.CreateScope();
        var user = await scope.ServiceProvider.GetRequiredService<AccountService>().CreateUserAsync(userName, userName, userName + "-password", mustChangePassword: false, Roles.Instructor);
        return user.Id;
    }

    internal static async Task<PortalClient> SignedInAsync(PortalFactory factory, string userName)
    {
        var client = factory.CreatePortalClient();
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(userName, userName + "-password")).StatusCode);
        return client;
    }

    internal static async Task<HttpStatusCode> StatusAsync(PortalClient client, string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        using var response = await client.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return response.StatusCode;
    }

    private static async Task<int> UserIdAsync(PortalFactory factory, string userName)
    {
        using var scope = factory.Services.CreateScope();
        var normalized = User.Normalize(userName);
        return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Users.Where(u => u.NormalizedUserName == normalized).Select(u => u.Id).SingleAsync();
    }

    /// <summary>The audit trail's actions about <paramref name="subjectUserId"/>, oldest first.</summary>
    private static async Task<List<string>> AuditActionsAsync(PortalFactory factory, int subjectUserId)
    {
        using var scope = factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Audit.Where(a => a.SubjectUserId == subjectUserId).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync();
    }
}
