using System.Globalization;
using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using LabPortal.Infrastructure.Data;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace LabPortal.Tests.Portal.Instructors;

/// <summary>The class dashboard rendered from runs written to the database (no cloud involved).</summary>
public sealed class DashboardPageTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private PortalFactory _factory = null!;
    private ClassSetup _class = null!;

    public async Task InitializeAsync()
    {
        _factory = new PortalFactory(_data.Path, new Dictionary<string, string?> { ["Instructors:DashboardIntervalMilliseconds"] = "100" });
        _class = await ClassSetup.CreateAsync(_factory, "DASH01", "Minji", "Jisoo");
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Matrix_shows_each_learners_step_states_in_words()
    {
        var started = DateTime.UtcNow.AddMinutes(-20);
        await _class.AddRunAsync("Minji", "fixture-lab", started,
            ("welcome", StepRunStatus.Succeeded), ("concepts", StepRunStatus.Failed), ("target-group", StepRunStatus.Running));
        using var instructor = _factory.CreatePortalClient();
        await instructor.SignInAsInstructorAsync();

        var (response, page) = await instructor.GetAsync($"/classes/{_class.ClassId}/dashboard");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var minji = page.QuerySelector($"#matrix-fixture-lab tr[data-learner='{_class.StudentId("Minji")}']")!;
        var cells = minji.QuerySelectorAll("td").ToDictionary(td => td.GetAttribute("data-step")!, td => (td.GetAttribute("data-state"), td.TextContent.Trim()));
        Assert.Equal(("Succeeded", "succeeded"), cells["welcome"]);
        Assert.Equal(("Failed", "failed"), cells["concepts"]);
        Assert.Equal(("Running", "running"), cells["target-group"]);
        var jisoo = page.QuerySelector($"#matrix-fixture-lab tr[data-learner='{_class.StudentId("Jisoo")}']")!;
        Assert.All(jisoo.QuerySelectorAll("td"), td => Assert.Equal(("NotStarted", "not started"), (td.GetAttribute("data-state"), td.TextContent.Trim())));
    }

    [Fact]
    public async Task A_step_that_once_succeeded_stays_succeeded_and_a_retry_in_flight_shows_pending()
    {
        var started = DateTime.UtcNow.AddMinutes(-20);
        await _class.AddRunAsync("Minji", "fixture-lab", started,
            ("welcome", StepRunStatus.Succeeded), ("concepts", StepRunStatus.Succeeded), ("concepts", StepRunStatus.Failed),
            ("target-group", StepRunStatus.Failed), ("target-group", StepRunStatus.Pending));
        using var instructor = _factory.CreatePortalClient();
        await instructor.SignInAsInstructorAsync();

        var (_, page) = await instructor.GetAsync($"/classes/{_class.ClassId}/dashboard");

        var row = page.QuerySelector($"#matrix-fixture-lab tr[data-learner='{_class.StudentId("Minji")}']")!;
        Assert.Equal("Succeeded", row.QuerySelector("td[data-step='concepts']")!.GetAttribute("data-state"));
        Assert.Equal("Pending", row.QuerySelector("td[data-step='target-group']")!.GetAttribute("data-state"));
    }

    [Fact]
    public async Task Runs_table_shows_state_live_resources_time_left_and_what_it_would_cost_on_aws()
    {
        var started = DateTime.UtcNow.AddMinutes(-30);
        var runId = await _class.AddRunAsync("Jisoo", "fixture-lab", started, ("welcome", StepRunStatus.Succeeded));
        await _class.ChangeAsync(db =>
        {
            db.Ledger.AddRange(
                Entry(runId, "TargetGroup", LedgerState.Created, started, null),
                Entry(runId, "LoadBalancer", LedgerState.Created, started, null),
                Entry(runId, "SecurityGroup", LedgerState.Deleted, started, started.AddMinutes(5)));
            return Task.CompletedTask;
        });
        using var instructor = _factory.CreatePortalClient();
        await instructor.SignInAsInstructorAsync();

        var (_, page) = await instructor.GetAsync($"/classes/{_class.ClassId}/dashboard");

        var row = page.QuerySelector($"#runs-table tr[data-run='{runId}']")!;
        Assert.Equal("Active", row.GetAttribute("data-status"));
        Assert.Equal("2", row.QuerySelector(".run-resources")!.TextContent.Trim());
        // The class's default idle limit (120 minutes) after the last activity comes before its 480-minute lifetime.
        var deadline = row.QuerySelector(".run-time-left [data-deadline]")!.GetAttribute("data-deadline");
        Assert.Equal(DateTime.Parse(deadline!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind), started.AddMinutes(120));
        Assert.Contains("idle limit", row.QuerySelector(".run-time-left")!.TextContent, StringComparison.Ordinal);
        Assert.StartsWith("$0.0", row.QuerySelector(".run-cost")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Contains("Would cost on AWS", page.QuerySelector("#runs-table thead")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("desired capacity", page.QuerySelector("#cost-note")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_is_in_Korean_for_a_Korean_browser()
    {
        await _class.AddRunAsync("Minji", "fixture-lab", DateTime.UtcNow.AddMinutes(-5), ("welcome", StepRunStatus.Succeeded));
        using var instructor = _factory.CreatePortalClient("ko");
        await instructor.SignInAsInstructorAsync();

        var (_, page) = await instructor.GetAsync($"/classes/{_class.ClassId}/dashboard");

        Assert.Equal("ko", page.DocumentElement.GetAttribute("lang"));
        Assert.StartsWith("대시보드", page.QuerySelector("h1")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal("테스트 실습", page.QuerySelector("#matrix-fixture-lab-heading")!.TextContent.Trim());
        Assert.Equal("성공", page.QuerySelector("td[data-step='welcome'][data-state='Succeeded']")!.TextContent.Trim());
        Assert.Contains("AWS였다면 예상 비용", page.QuerySelector("#runs-table thead")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("이해합니다", page.QuerySelector("#reset-class-form label")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reset_forms_post_to_the_reset_endpoints_with_antiforgery_and_a_required_confirmation()
    {
        using var instructor = _factory.CreatePortalClient();
        await instructor.SignInAsInstructorAsync();

        var (_, page) = await instructor.GetAsync($"/classes/{_class.ClassId}/dashboard");

        var forms = page.QuerySelectorAll<IHtmlFormElement>("form[method=post]").Where(f => f.Id?.StartsWith("reset-", StringComparison.Ordinal) == true).ToList();
        var expected = new[] { $"classes/{_class.ClassId}/learners/{_class.StudentId("Minji")}/reset", $"classes/{_class.ClassId}/learners/{_class.StudentId("Jisoo")}/reset", $"classes/{_class.ClassId}/reset" };
        Assert.Equal(expected.Order(), forms.Select(f => f.GetAttribute("action")!).Order());
        Assert.All(forms, form =>
        {
            Assert.False(string.IsNullOrEmpty(form.QuerySelector<IHtmlInputElement>("input[name=__RequestVerificationToken]")?.Value));
            var confirm = form.QuerySelector<IHtmlInputElement>("input[type=checkbox][name=confirm]")!;
            Assert.True(confirm.IsRequired);
            Assert.NotNull(form.QuerySelector($"label[for='{confirm.Id}']"));
        });
    }

    [Fact]
    public async Task Recent_resets_and_clean_ups_of_the_class_and_its_learners_are_listed_newest_first()
    {
        var now = DateTime.UtcNow;
        var minji = _class.StudentId("Minji");
        await _class.ChangeAsync(db =>
        {
            db.Audit.AddRange(
                new AuditEntry { AtUtc = now.AddMinutes(-30), Action = "cleanup-warned", SubjectUserId = minji, LabRunId = 1, Outcome = "succeeded", Detail = "idle for 120 minutes" },
                new AuditEntry { AtUtc = now.AddMinutes(-10), Action = "reset-class", ClassroomId = _class.ClassId, Outcome = "started" },
                new AuditEntry { AtUtc = now.AddMinutes(-5), Action = "reset-class", ClassroomId = _class.ClassId + 1000, Outcome = "started", Detail = "another class" });
            return Task.CompletedTask;
        });
        using var instructor = _factory.CreatePortalClient();
        await instructor.SignInAsInstructorAsync();

        var (_, page) = await instructor.GetAsync($"/classes/{_class.ClassId}/dashboard");

        var rows = page.QuerySelectorAll("#activity-table tbody tr").Select(tr => tr.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList()).ToList();
        Assert.Equal(["reset-class", "cleanup-warned"], rows.Select(r => r[2]));
        Assert.Equal(["-", "Minji"], rows.Select(r => r[3]));
        Assert.Equal("the portal", rows[1][1]);
        Assert.DoesNotContain("another class", page.QuerySelector("#activity-table")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Class_page_links_to_its_dashboard()
    {
        using var instructor = _factory.CreatePortalClient();
        await instructor.SignInAsInstructorAsync();

        var (_, page) = await instructor.GetAsync($"/classes/{_class.ClassId}");

        Assert.Equal($"classes/{_class.ClassId}/dashboard", page.QuerySelector("#dashboard-link")!.GetAttribute("href"));
    }

    [Fact]
    public async Task Stream_pushes_the_matrix_again_when_a_step_changes_state()
    {
        var runId = await _class.AddRunAsync("Minji", "fixture-lab", DateTime.UtcNow, ("welcome", StepRunStatus.Succeeded), ("concepts", StepRunStatus.Running));
        using var instructor = _factory.CreatePortalClient();
        await instructor.SignInAsInstructorAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/classes/{_class.ClassId}/dashboard/stream");
        using var response = await instructor.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var events = new SseReader(await response.Content.ReadAsStreamAsync(timeout.Token));

        var first = await events.NextAsync("matrix", timeout.Token);
        Assert.Contains("data-step=\"concepts\" data-state=\"Running\"", first, StringComparison.Ordinal);

        await _class.ChangeAsync(async db =>
        {
            var step = await db.StepRuns.SingleAsync(s => s.LabRunId == runId && s.StepId == "concepts");
            step.Status = StepRunStatus.Succeeded;
            step.FinishedAtUtc = DateTime.UtcNow;
        });

        var next = await events.NextAsync("matrix", timeout.Token);
        Assert.Contains("data-step=\"concepts\" data-state=\"Succeeded\"", next, StringComparison.Ordinal);
    }

    private static LedgerEntry Entry(int runId, string kind, LedgerState state, DateTime completed, DateTime? deleted) => new()
    {
        LabRunId = runId,
        Kind = kind,
        Name = kind.ToLowerInvariant(),
        ResourceId = kind.ToLowerInvariant() + "-1",
        Region = "ap-northeast-2",
        State = state,
        CreatedAtUtc = completed,
        CompletedAtUtc = completed,
        DeletedAtUtc = deleted,
    };
}
