using Bunit;
using LabPortal.Features.Instructors;
using LabPortal.Infrastructure.Data;
using LabPortal.Tests.E2E;
using LabPortal.Tests.Portal.Instructors;

namespace LabPortal.Tests.Components;

/// <summary>One lab's progress grid: rows only for learners who started, states in words, torn-down runs, the filters.</summary>
public sealed class DashboardGridTests : ComponentTestContext
{
    private static readonly DateTime Now = new(2026, 12, 7, 3, 0, 0, DateTimeKind.Utc);

    private static readonly int Steps = Lab1Flow.Lab.Steps.Count;

    /// <summary>A row whose first <paramref name="done"/> steps succeeded, then <paramref name="next"/> (if any), the rest not started.</summary>
    private static MatrixRow Row(int userId, string name, int done, StepCellState? next = null, LabRunStatus status = LabRunStatus.Active, int idleMinutes = 0) =>
        new(userId, name, 100 + userId, status,
            [.. Enumerable.Range(0, Steps).Select(i => i < done ? StepCellState.Succeeded : i == done && next is { } n ? n : StepCellState.NotStarted)],
            Now.AddMinutes(-idleMinutes), null);

    private static LabMatrix Matrix(params MatrixRow[] rows) => new(Lab1Flow.Lab, rows, ["Nobody Yet", "Late Comer"]);

    private IRenderedComponent<LabProgressGrid> Render(LabMatrix matrix, DashboardFilter? filter = null) =>
        Context.Render<LabProgressGrid>(p => p
            .Add(g => g.Matrix, matrix)
            .Add(g => g.ClassId, 7)
            .Add(g => g.NowUtc, Now)
            .Add(g => g.Filter, filter ?? DashboardFilter.None));

    private static IReadOnlyList<int> Learners(IRenderedComponent<LabProgressGrid> grid) =>
        [.. grid.FindAll("[data-learner]").Select(e => int.Parse(e.GetAttribute("data-learner")!, System.Globalization.CultureInfo.InvariantCulture))];

    [Fact]
    public void Grid_lists_only_learners_who_started_and_counts_the_others_in_one_line()
    {
        var grid = Render(Matrix(Row(1, "Minji", 2)));

        Assert.Equal([1], Learners(grid));
        Assert.Equal("Not started yet (2): Nobody Yet, Late Comer", grid.Find(".not-started").TextContent.Trim());
    }

    [Fact]
    public void Cells_state_their_step_in_words_a_wrong_quiz_answer_as_an_answer_and_a_failed_action_as_failed()
    {
        var concepts = Lab1Flow.Lab.Steps.FindIndex(s => s.Id == "concepts");
        var grid = Render(Matrix(Row(1, "Minji", concepts, StepCellState.Failed), Row(2, "Jisoo", Steps - 1, StepCellState.Failed), Row(3, "Hana", 1, StepCellState.Running)));

        var minji = DashboardHtml.Cells(grid.Find("section"), "alb-two-web-servers", 1);
        var jisoo = DashboardHtml.Cells(grid.Find("section"), "alb-two-web-servers", 2);
        var hana = DashboardHtml.Cells(grid.Find("section"), "alb-two-web-servers", 3);
        Assert.Equal(("Failed", "answered wrong"), minji["concepts"]);
        Assert.Equal(("Failed", "failed"), jisoo[Lab1Flow.Lab.Steps[^1].Id]);
        Assert.Equal(("Succeeded", "succeeded"), jisoo["concepts"]);
        Assert.Equal(("Running", "running"), hana[Lab1Flow.Lab.Steps[1].Id]);
        Assert.Equal(("NotStarted", "not started"), hana[Lab1Flow.Lab.Steps[^1].Id]);
        Assert.Equal($"1 / {Steps}", DashboardHtml.LearnerRow(grid.Find("section"), "alb-two-web-servers", 3)!.QuerySelector(".done-steps")!.TextContent.Trim());
    }

    [Fact]
    public void A_torn_down_run_shows_every_step_as_torn_down_and_its_state_says_so()
    {
        var grid = Render(Matrix(Row(1, "Minji", Steps, status: LabRunStatus.TornDown), Row(2, "Jisoo", 3, status: LabRunStatus.TearingDown)));

        var minji = DashboardHtml.LearnerRow(grid.Find("section"), "alb-two-web-servers", 1)!;
        Assert.All(DashboardHtml.Cells(grid.Find("section"), "alb-two-web-servers", 1).Values, cell => Assert.Equal(("TornDown", "torn down"), cell));
        Assert.Equal("torn down", minji.QuerySelector(".learner-state")!.TextContent.Trim());
        Assert.All(DashboardHtml.Cells(grid.Find("section"), "alb-two-web-servers", 2).Values, cell => Assert.Equal(("TearingDown", "tearing down"), cell));
    }

    [Fact]
    public void State_filter_keeps_the_learners_in_that_state()
    {
        var matrix = Matrix(Row(1, "Working", 2), Row(2, "Failing", 2, StepCellState.Failed), Row(3, "Finished", Steps), Row(4, "Gone", Steps, status: LabRunStatus.TornDown), Row(5, "Waiting", 3, StepCellState.Pending));

        Assert.Equal([2], Learners(Render(matrix, new DashboardFilter(Progress: LearnerProgress.Failing))));
        Assert.Equal([3], Learners(Render(matrix, new DashboardFilter(Progress: LearnerProgress.Finished))));
        Assert.Equal([4], Learners(Render(matrix, new DashboardFilter(Progress: LearnerProgress.TornDown))));
        Assert.Equal([5], Learners(Render(matrix, new DashboardFilter(Progress: LearnerProgress.Waiting))));
        Assert.Equal([1, 2, 3, 4, 5], Learners(Render(matrix)));
    }

    [Fact]
    public void Stuck_filter_keeps_unfinished_active_runs_idle_longer_than_the_minutes_given()
    {
        var matrix = Matrix(
            Row(1, "Busy", 2, idleMinutes: 3),
            Row(2, "Stuck", 2, StepCellState.Failed, idleMinutes: 25),
            Row(3, "Done long ago", Steps, idleMinutes: 60),
            Row(4, "Torn down long ago", 2, status: LabRunStatus.TornDown, idleMinutes: 60),
            Row(5, "Just over", 1, idleMinutes: 11));

        var grid = Render(matrix, new DashboardFilter(IdleMinutes: 10));

        Assert.Equal([2, 5], Learners(grid));
        Assert.Equal("idle 25 min", DashboardHtml.LearnerRow(grid.Find("section"), "alb-two-web-servers", 2)!.QuerySelector(".idle")!.TextContent.Trim());
    }

    [Fact]
    public void Filters_that_match_nobody_say_so_instead_of_an_empty_grid()
    {
        var grid = Render(Matrix(Row(1, "Minji", 2)), new DashboardFilter(Progress: LearnerProgress.Failing));

        Assert.Empty(grid.FindAll("table"));
        Assert.Equal("No learner of this lab matches the filters.", grid.Find(".no-rows").TextContent.Trim());
    }

    [Fact]
    public void Lab_filter_keeps_only_that_labs_grid()
    {
        var dashboard = new ClassDashboard(7, "Class", 120, 480, Now, true, [], [Matrix(), new LabMatrix(Lab2Flow.Lab, [], [])], [], []);

        Assert.Equal(["alb-two-web-servers", "asg-behind-alb"], DashboardFilter.None.Labs(dashboard).Select(m => m.Lab.Id));
        Assert.Equal(["asg-behind-alb"], new DashboardFilter(LabId: "asg-behind-alb").Labs(dashboard).Select(m => m.Lab.Id));
    }

    [Fact]
    public void Grid_is_in_Korean_for_a_Korean_viewer()
    {
        System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo("ko");
        var grid = Render(Matrix(Row(1, "Minji", Steps, status: LabRunStatus.TornDown)));

        Assert.Equal("아직 시작하지 않음 (2명): Nobody Yet, Late Comer", grid.Find(".not-started").TextContent.Trim());
        Assert.All(DashboardHtml.Cells(grid.Find("section"), "alb-two-web-servers", 1).Values, cell => Assert.Equal("정리됨", cell.Words));
    }
}
