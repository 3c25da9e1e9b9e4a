using System.Net;
using LabPortal.Infrastructure.Data;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace LabPortal.Tests.Portal.Instructors;

/// <summary>The learner detail page from rows written to the database (the sandbox is off: nothing live to compare).</summary>
public sealed class LearnerPageTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private PortalFactory _factory = null!;
    private ClassSetup _class = null!;

    public async Task InitializeAsync()
    {
        _factory = new PortalFactory(_data.Path);
        _class = await ClassSetup.CreateAsync(_factory, "LEARN1", "Minji", "Jisoo");
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Step_history_shows_outcome_attempts_duration_and_what_AWS_said_with_request_ids_collapsed()
    {
        var started = DateTime.UtcNow.AddMinutes(-10);
        var runId = await _class.AddRunAsync("Minji", "fixture-lab", started, ("welcome", StepRunStatus.Succeeded));
        await _class.ChangeAsync(db =>
        {
            db.StepRuns.Add(new StepRun
            {
                LabRunId = runId,
                StepId = "target-group",
                Status = StepRunStatus.Failed,
                Attempts = 3,
                CreatedAtUtc = started,
                StartedAtUtc = started,
                FinishedAtUtc = started.AddSeconds(12.5),
                ErrorCode = "DuplicateTargetGroupName",
                ErrorMessage = "A target group with the same name exists.",
                RequestIds = "req-1 req-2",
            });
            return Task.CompletedTask;
        });
        using var instructor = _factory.CreatePortalClient();
        await instructor.SignInAsInstructorAsync();

        var (response, page) = await instructor.GetAsync($"/classes/{_class.ClassId}/learners/{_class.StudentId("Minji")}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Minji", page.QuerySelector("h1")!.TextContent.Trim());
        var failed = page.QuerySelector($"#run-{runId} .steps-table tr[data-step='target-group']")!;
        var cells = failed.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList();
        Assert.Equal("Target group", cells[0]);
        Assert.Equal("failed", cells[1]);
        Assert.Equal("3", cells[2]);
        Assert.Equal("12.5 s", cells[4]);
        Assert.Contains("DuplicateTargetGroupName", cells[5], StringComparison.Ordinal);
        Assert.Contains("A target group with the same name exists.", cells[5], StringComparison.Ordinal);
        // Request ids stay behind their toggle (LearnerRunViewTests opens it).
        Assert.Equal(6, cells.Count);
        Assert.DoesNotContain("req-1", page.QuerySelector($"#run-{runId}")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector($"#run-{runId} .request-ids-toggle"));
    }

    [Fact]
    public async Task Ledger_is_listed_and_marked_not_checked_when_there_is_no_cloud_account()
    {
        var started = DateTime.UtcNow.AddMinutes(-10);
        var runId = await _class.AddRunAsync("Minji", "fixture-lab", started);
        await _class.ChangeAsync(db =>
        {
            db.Ledger.Add(new LedgerEntry { LabRunId = runId, Kind = ResourceKind.TargetGroup, Name = "web-tg", ResourceId = "arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:targetgroup/web-tg/1", Region = "ap-northeast-2", State = LedgerState.Created, CreatedAtUtc = started, CompletedAtUtc = started });
            return Task.CompletedTask;
        });
        using var instructor = _factory.CreatePortalClient();
        await instructor.SignInAsInstructorAsync();

        var (_, page) = await instructor.GetAsync($"/classes/{_class.ClassId}/learners/{_class.StudentId("Minji")}");

        var row = page.QuerySelector($"#run-{runId} .ledger-table tr[data-kind='TargetGroup']")!;
        Assert.Equal("NotChecked", row.GetAttribute("data-drift"));
        Assert.Equal("not checked", row.QuerySelector(".live-state")!.TextContent.Trim());
        Assert.Contains("sandbox account no longer exists", page.QuerySelector($"#run-{runId} .cloud-problem")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_trail_lists_this_learners_and_the_class_entries_newest_first_and_nobody_elses()
    {
        var runId = await _class.AddRunAsync("Minji", "fixture-lab", DateTime.UtcNow.AddHours(-1));
        var now = DateTime.UtcNow;
        var minji = _class.StudentId("Minji");
        await _class.ChangeAsync(async db =>
        {
            var teacher = await db.Users.Where(u => u.UserName == PortalFactory.InstructorUserName).Select(u => u.Id).SingleAsync();
            db.Audit.AddRange(
                new AuditEntry { AtUtc = now.AddMinutes(-30), Action = "cleanup-warned", ClassroomId = _class.ClassId, SubjectUserId = minji, LabRunId = runId, Outcome = "succeeded", Detail = "idle" },
                new AuditEntry { AtUtc = now.AddMinutes(-10), ActorUserId = teacher, Action = "reset-learner", ClassroomId = _class.ClassId, SubjectUserId = minji, Outcome = "started", Detail = "by the instructor" },
                new AuditEntry { AtUtc = now.AddMinutes(-20), ActorUserId = teacher, Action = "reset-class", ClassroomId = _class.ClassId, Outcome = "succeeded" },
                new AuditEntry { AtUtc = now.AddMinutes(-5), ActorUserId = teacher, Action = "reset-learner", ClassroomId = _class.ClassId, SubjectUserId = _class.StudentId("Jisoo"), Outcome = "started", Detail = "someone else" });
        });
        using var instructor = _factory.CreatePortalClient();
        await instructor.SignInAsInstructorAsync();

        var (_, page) = await instructor.GetAsync($"/classes/{_class.ClassId}/learners/{minji}");

        var rows = page.QuerySelectorAll("#audit-table tbody tr").Select(tr => tr.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList()).ToList();
        Assert.Equal(["reset-learner", "reset-class", "cleanup-warned"], rows.Select(r => r[2]));
        Assert.Equal([PortalFactory.InstructorUserName, PortalFactory.InstructorUserName, "the portal"], rows.Select(r => r[1]));
        Assert.Equal($"#{runId}", rows[2][3]);
        Assert.DoesNotContain("someone else", page.QuerySelector("#audit-table")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Learner_page_is_in_Korean_for_a_Korean_browser()
    {
        await _class.AddRunAsync("Minji", "fixture-lab", DateTime.UtcNow, ("welcome", StepRunStatus.Succeeded));
        using var instructor = _factory.CreatePortalClient("ko");
        await instructor.SignInAsInstructorAsync();

        var (_, page) = await instructor.GetAsync($"/classes/{_class.ClassId}/learners/{_class.StudentId("Minji")}");

        Assert.Equal("테스트 실습", page.QuerySelector("[data-run] h2")!.FirstChild!.TextContent.Trim());
        Assert.Equal("성공", page.QuerySelector(".steps-table tr[data-step='welcome'] td:nth-child(2)")!.TextContent.Trim());
        Assert.Equal("감사 기록", page.QuerySelector("#audit-heading")!.TextContent.Trim());
    }

    [Fact]
    public async Task A_user_who_is_not_a_student_of_the_class_is_not_found()
    {
        using var instructor = _factory.CreatePortalClient();
        await instructor.SignInAsInstructorAsync();

        var teacher = 0;
        await _class.ChangeAsync(async db => teacher = await db.Users.Where(u => u.UserName == PortalFactory.InstructorUserName).Select(u => u.Id).SingleAsync());
        var (instructorAsLearner, _) = await instructor.GetAsync($"/classes/{_class.ClassId}/learners/{teacher}");
        var (nobody, _) = await instructor.GetAsync($"/classes/{_class.ClassId}/learners/99999");
        var (noClass, _) = await instructor.GetAsync($"/classes/99999/learners/{_class.StudentId("Minji")}");

        Assert.Equal(HttpStatusCode.NotFound, instructorAsLearner.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, nobody.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noClass.StatusCode);
    }
}
