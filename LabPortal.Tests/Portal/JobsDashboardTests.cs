using System.Net;
using LabPortal.Tests.E2E.Cleanup;
using LabPortal.Tests.Portal.Instructors;
using LabPortal.Tests.Support;

namespace LabPortal.Tests.Portal;

/// <summary><c>/ops/jobs</c>: Hangfire's dashboard, read-only for instructors, with its commands for administrators, refused to students and anonymous visitors.</summary>
public sealed class JobsDashboardTests : IAsyncLifetime
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
    public async Task Dashboard_is_shown_read_only_to_an_instructor()
    {
        // An instructor who is not an administrator (the seeded first account is both).
        using var instructor = await ClassSetup.OtherInstructorAsync(_factory, "plain.teacher");

        var (home, page) = await instructor.GetAsync("/ops/jobs");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains("LabPortal jobs", page.Title ?? page.Body?.TextContent ?? "", StringComparison.Ordinal);

        // The recurring auto-cleanup is listed, without the buttons that act on it (trigger, delete).
        var (recurring, recurringPage) = await instructor.GetAsync("/ops/jobs/recurring");
        Assert.Equal(HttpStatusCode.OK, recurring.StatusCode);
        Assert.Contains("clean-up-idle-runs", recurringPage.Body!.TextContent, StringComparison.Ordinal);
        Assert.Empty(recurringPage.QuerySelectorAll("button.js-jobs-list-command"));

        // The storage's connection string is never shown.
        Assert.DoesNotContain(_data.Path, page.Body!.InnerHtml, StringComparison.Ordinal);

        // And an action posted anyway is refused.
        var token = await PortalState.AntiforgeryTokenAsync(instructor, "/classes");
        using var trigger = new FormUrlEncodedContent(new Dictionary<string, string> { ["jobs[]"] = "clean-up-idle-runs", ["__RequestVerificationToken"] = token });
        var posted = await instructor.Http.PostAsync("/ops/jobs/recurring/trigger", trigger);
        Assert.True(posted.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized, $"An instructor's trigger answered {(int)posted.StatusCode}.");
    }

    [Fact]
    public async Task An_administrator_gets_the_dashboards_commands()
    {
        using var administrator = _factory.CreatePortalClient();
        await administrator.SignInAsInstructorAsync();

        var (recurring, page) = await administrator.GetAsync("/ops/jobs/recurring");
        Assert.Equal(HttpStatusCode.OK, recurring.StatusCode);
        Assert.NotEmpty(page.QuerySelectorAll("button.js-jobs-list-command"));
    }

    [Fact]
    public async Task Dashboard_is_refused_to_a_student_and_to_anonymous_visitors()
    {
        var code = await Students.CreateClassAsync(_factory, "JOBS01");
        using var student = await Students.JoinAsync(_factory, code, "Curious Student");
        using var anonymous = _factory.CreatePortalClient();

        foreach (var (who, client) in new[] { ("student", student), ("anonymous", anonymous) })
        {
            foreach (var path in new[] { "/ops/jobs", "/ops/jobs/recurring", "/ops/jobs/stats" })
            {
                var response = await client.Http.GetAsync(path);
                Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized or HttpStatusCode.Redirect or HttpStatusCode.NotFound,
                    $"{who} GET {path} answered {(int)response.StatusCode}.");
                Assert.DoesNotContain("clean-up-idle-runs", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }
    }
}
