using System.Globalization;
using System.Net;
using LabPortal.Infrastructure.Data;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace LabPortal.Tests.Portal.Instructors;

/// <summary>The class dashboard as the server prerenders it, from runs written to the database (no cloud involved).</summary>
public class DashboardPageTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private PortalFactory _factory = null!;
    private ClassSetup _class = null!;

    public DashboardPageTests()
        : this(TestDatabase.Default)
    {
    }

    /// <summary>On <paramref name="database"/>, whatever the run's default (<see cref="DashboardPageOnPostgreSqlTests"/>).</summary>
    protected DashboardPageTests(TestDatabaseProvider database)
    {
        TestDatabase.Use(_data.Path, database);
    }

    public async Task InitializeAsync()
    {
        _factory = new PortalFactory(_data.Path);
        _class = await ClassSetup.CreateAsync(_factory, "DASH01", "Minji", "Jisoo");
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Grid_shows_each_learners_step_states_in_words_and_counts_who_has_not_started_in_one_line()
    {
        var started = DateTime.UtcNow.AddMinutes(-20);
        await _class.AddRunAsync("Minji", "fixture-lab", started,
            ("welcome", StepRunStatus.Succeeded), ("concepts", StepRunStatus.Failed), ("target-group", StepRunStatus.Running));
        using var instructor = _factory.CreatePortalClient();
        await instructor.SignInAsInstructorAsync();

        var (response, page) = await instructor.GetAsync($"/classes/{_class.ClassId}/dashboard");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cells = DashboardHtml.Cells(page, "fixture-lab", _class.StudentId("Minji"));
        Assert.Equal(("Succeeded", "succeeded"), cells["welcome"]);
        // A wrong quiz answer is an answer, not a failure.
        Assert.Equal(("Failed", "answered wrong"), cells["concepts"]);
        Assert.Equal(("Running", "running"), cells["target-group"]);
        Assert.Null(DashboardHtml.LearnerRow(page, "fixture-lab", _class.StudentId("Jisoo")));
        Assert.Equal("Not started yet (1): Jisoo", page.QuerySelector("#matrix-fixture-lab .not-started")!.TextContent.Trim());
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

        var cells = DashboardHtml.Cells(page, "fixture-lab", _class.StudentId("Minji"));
        Assert.Equal("Succeeded", cells["concepts"].State);
        Assert.Equal("Pending", cells["target-group"].State);
    }

    [Fact]
    public async Task A_torn_down_latest_run_shows_as_torn_down_not_as_its_old_successes()
    {
        var runId = await _class.AddRunAsync("Minji", "fixture-lab", DateTime.UtcNow.AddMinutes(-30), ("welcome", StepRunStatus.Succeeded), ("concepts", StepRunStatus.Succeeded));
        await _class.ChangeAsync(async db => (await db.LabRuns.SingleAsync(r => r.Id == runId)).Status = LabRunStatus.TornDown);
        using var instructor = _factory.CreatePortalClient();
        await instructor.SignInAsInstructorAsync();

        var (_, page) = await instructor.GetAsync($"/classes/{_class.ClassId}/dashboard");

        var cells = DashboardHtml.Cells(page, "fixture-lab", _class.StudentId("Minji"));
        Assert.All(cells.Values, cell => Assert.Equal(("TornDown", "torn down"), cell));
        Assert.Equal("TornDown", DashboardHtml.LearnerRow(page, "fixture-lab", _class.StudentId("Minji"))!.QuerySelector("[data-progress]")!.GetAttribute("data-progress"));
    }

    [Fact]
    public async Task Runs_table_shows_state_live_resources_time_left_and_what_it_would_cost_on_aws()
    {
        // Whole microseconds: PostgreSQL keeps no finer time than that (SQLite keeps every tick), and the deadline is compared exactly.
        var now = DateTime.UtcNow;
        var started = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond)).AddMinutes(-30);
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

        var row = DashboardHtml.RunRow(page, runId);
        Assert.Equal("Active", row.QuerySelector("[data-status]")!.GetAttribute("data-status"));
        Assert.Equal("2", row.QuerySelector(".run-resources")!.TextContent.Trim());
        // The class's default idle limit (120 minutes) after the last activity comes before its 480-minute lifetime.
        var deadline = row.QuerySelector(".run-time-left [data-deadline]")!.GetAttribute("data-deadline");
        Assert.Equal(DateTime.Parse(deadline!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind), started.AddMinutes(120));
        Assert.Contains("idle limit", row.QuerySelector(".run-time-left")!.TextContent, StringComparison.Ordinal);
        Assert.StartsWith("$0.0", row.QuerySelector(".run-cost")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Contains("Would cost on AWS", page.QuerySelector("#runs-table thead")!.TextContent, StringComparison.Ordinal);
        Assert.StartsWith("$0.0", page.QuerySelector("#class-cost strong")!.TextContent.Trim(), StringComparison.Ordinal);
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
        Assert.Equal("성공", DashboardHtml.Cells(page, "fixture-lab", _class.StudentId("Minji"))["welcome"].Words);
        Assert.Contains("AWS였다면 예상 비용", page.QuerySelector("#runs-table thead")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("수업 전체 초기화", page.QuerySelector("#reset-class")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("아직 시작하지 않음 (1명): Jisoo", page.QuerySelector("#matrix-fixture-lab .not-started")!.TextContent.Trim());
    }

    [Fact]
    public async Task Dashboard_offers_a_reset_per_learner_and_for_the_class_and_links_the_orphan_sweeper()
    {
        using var instructor = _factory.CreatePortalClient();
        await instructor.SignInAsInstructorAsync();

        var (_, page) = await instructor.GetAsync($"/classes/{_class.ClassId}/dashboard");

        Assert.NotNull(page.QuerySelector($"#reset-learner-{_class.StudentId("Minji")}"));
        Assert.NotNull(page.QuerySelector($"#reset-learner-{_class.StudentId("Jisoo")}"));
        Assert.NotNull(page.QuerySelector("#reset-class"));
        Assert.Equal($"classes/{_class.ClassId}/orphans", page.QuerySelector("#sweeper-link")!.GetAttribute("href"));
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
    public async Task Class_page_links_to_its_dashboard_and_the_orphan_sweeper()
    {
        using var instructor = _factory.CreatePortalClient();
        await instructor.SignInAsInstructorAsync();

        var (_, page) = await instructor.GetAsync($"/classes/{_class.ClassId}");

        Assert.Equal($"classes/{_class.ClassId}/dashboard", page.QuerySelector("#dashboard-link")!.GetAttribute("href"));
        Assert.Equal($"classes/{_class.ClassId}/orphans", page.QuerySelector("#sweeper-link")!.GetAttribute("href"));
    }

    private static LedgerEntry Entry(int runId, string kind, LedgerState state, DateTime completed, DateTime? deleted) => new()
    {
        LabRunId = runId,
        Kind = Enum.Parse<ResourceKind>(kind),
        Name = kind.ToLowerInvariant(),
        ResourceId = kind.ToLowerInvariant() + "-1",
        Region = "ap-northeast-2",
        State = state,
        CreatedAtUtc = completed,
        CompletedAtUtc = completed,
        DeletedAtUtc = deleted,
    };
}
