using System.Net;
using LabPortal.Features.Cleanup;
using LabPortal.Features.Instructors;
using LabPortal.Infrastructure.Data;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.Portal.Instructors;

/// <summary>Only a class's own instructors reach its page, its dashboard and its learners' pages (prerendered: the status is the page's).</summary>
public sealed class InstructorAuthorizationTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private PortalFactory _factory = null!;
    private ClassSetup _class = null!;

    public async Task InitializeAsync()
    {
        _factory = new PortalFactory(_data.Path);
        _class = await ClassSetup.CreateAsync(_factory, "AUTHZ1", "Minji", "Jisoo");
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        _data.Dispose();
    }

    private string[] Urls =>
    [
        $"/classes/{_class.ClassId}/dashboard",
        $"/classes/{_class.ClassId}/learners/{_class.StudentId("Minji")}",
        $"/classes/{_class.ClassId}/learners/{_class.StudentId("Jisoo")}",
        $"/classes/{_class.ClassId}",
    ];

    [Fact]
    public async Task The_class_instructor_is_let_in_everywhere()
    {
        using var instructor = _factory.CreatePortalClient();
        await instructor.SignInAsInstructorAsync();

        foreach (var url in Urls)
        {
            Assert.Equal((url, HttpStatusCode.OK), (url, await StatusAsync(instructor, url)));
        }
    }

    [Fact]
    public async Task Another_class_instructor_gets_403()
    {
        using var other = await ClassSetup.OtherInstructorAsync(_factory, "other-teacher");

        foreach (var url in Urls)
        {
            Assert.Equal((url, HttpStatusCode.Forbidden), (url, await StatusAsync(other, url)));
        }
    }

    [Theory]
    [InlineData("Minji")]
    [InlineData("Jisoo")]
    public async Task Every_student_gets_403_including_on_their_own_learner_page(string name)
    {
        using var student = await _class.SignInStudentAsync(name);

        foreach (var url in Urls)
        {
            Assert.Equal((url, HttpStatusCode.Forbidden), (url, await StatusAsync(student, url)));
        }
    }

    [Fact]
    public async Task Anonymous_visitor_is_sent_to_sign_in()
    {
        using var anonymous = _factory.CreatePortalClient();

        foreach (var url in Urls)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            using var response = await anonymous.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal((url, HttpStatusCode.Redirect), (url, response.StatusCode));
            Assert.Contains("/account/login", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Circuit_actions_of_another_instructor_a_student_or_nobody_read_nothing_and_change_nothing()
    {
        var runId = await _class.AddRunAsync("Minji", "fixture-lab", DateTime.UtcNow.AddMinutes(-5), ("welcome", StepRunStatus.Succeeded));
        using (await ClassSetup.OtherInstructorAsync(_factory, "other-desk-teacher"))
        {
        }

        var desk = _factory.Services.GetRequiredService<InstructorDesk>();
        int otherTeacher = 0, teacher = 0;
        await _class.ChangeAsync(async db =>
        {
            otherTeacher = await db.Users.Where(u => u.UserName == "other-desk-teacher").Select(u => u.Id).SingleAsync();
            teacher = await db.Users.Where(u => u.UserName == PortalFactory.InstructorUserName).Select(u => u.Id).SingleAsync();
        });
        var minji = _class.StudentId("Minji");

        foreach (var (who, userId) in new[] { ("another class's instructor", otherTeacher), ("a student", minji), ("a student of another run", _class.StudentId("Jisoo")), ("nobody", 0) })
        {
            var (dashboardAccess, dashboard) = await desk.DashboardAsync(userId, _class.ClassId);
            var (learnerAccess, learner) = await desk.LearnerAsync(userId, _class.ClassId, minji);
            Assert.Equal((who, ClassAccess.Forbidden, (ClassDashboard?)null), (who, dashboardAccess, dashboard));
            Assert.Equal((who, ClassAccess.Forbidden, (LearnerDetail?)null), (who, learnerAccess, learner));
            Assert.Equal((who, ResetResult.Forbidden), (who, (await desk.ResetLearnerAsync(userId, _class.ClassId, minji)).Result));
            Assert.Equal((who, ResetResult.Forbidden), (who, (await desk.ResetClassAsync(userId, _class.ClassId)).Result));
        }

        var (status, audits) = (LabRunStatus.Active, 0);
        await _class.ChangeAsync(async db =>
        {
            status = await db.LabRuns.Where(r => r.Id == runId).Select(r => r.Status).SingleAsync();
            audits = await db.Audit.CountAsync();
        });
        Assert.Equal((LabRunStatus.Active, 0), (status, audits));

        // The class's own instructor is let in, by the same calls.
        Assert.Equal(ClassAccess.Allowed, (await desk.DashboardAsync(teacher, _class.ClassId)).Access);
        Assert.Equal(ResetResult.Started, (await desk.ResetLearnerAsync(teacher, _class.ClassId, minji)).Result);
    }

    /// <summary>The status only.</summary>
    private static async Task<HttpStatusCode> StatusAsync(PortalClient client, string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        using var response = await client.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return response.StatusCode;
    }
}
