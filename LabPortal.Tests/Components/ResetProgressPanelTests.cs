using Bunit;
using LabPortal.Features.Cleanup;
using LabPortal.Features.Instructors;
using LabPortal.Infrastructure.Data;

namespace LabPortal.Tests.Components;

/// <summary>The reset's live bar, its outcome in words with the next action, and its disappearance.</summary>
public sealed class ResetProgressPanelTests : ComponentTestContext
{
    private static readonly DateTime Since = new(2026, 12, 7, 3, 0, 0, DateTimeKind.Utc);

    private static RunResetProgress Run(int runId, int userId, ResetState state, int total, int left, int endedAfterSeconds = 30, string detail = "") =>
        new(runId, userId, "asg-behind-alb", TeardownReason.Reset, state, total, left, Since, state == ResetState.InProgress ? null : Since.AddSeconds(endedAfterSeconds), detail);

    private IRenderedComponent<ResetProgressPanel> Render(ResetProgressReport report, DateTime now) =>
        Context.Render<ResetProgressPanel>(p => p
            .Add(r => r.Report, report)
            .Add(r => r.ClassId, 7)
            .Add(r => r.NowUtc, now)
            .Add(r => r.Names, new Dictionary<int, string> { [1] = "Minji", [2] = "Jisoo" }));

    [Fact]
    public void While_running_a_bar_shows_the_runs_torn_down_and_each_runs_state()
    {
        var panel = Render(new ResetProgressReport(Since, [Run(11, 1, ResetState.Succeeded, 8, 0), Run(12, 2, ResetState.InProgress, 9, 4)]), Since.AddSeconds(40));

        Assert.Equal("false", panel.Find("#reset-panel").GetAttribute("data-finished"));
        Assert.Equal("50", panel.Find("#reset-progress[role=progressbar]").GetAttribute("aria-valuenow"));
        Assert.Equal("Tearing down: 1 of 2 runs torn down, 4 resources left in the ledger", panel.Find("#reset-summary").TextContent.Trim());
        Assert.Equal(["Succeeded", "InProgress"], panel.FindAll("#reset-runs li").Select(li => li.GetAttribute("data-state")));
        Assert.Contains("Jisoo", panel.Find("#reset-runs li[data-run='12']").TextContent, StringComparison.Ordinal);
        Assert.Empty(panel.FindAll("#reset-outcome"));
    }

    [Fact]
    public void When_everything_is_gone_the_outcome_says_so_without_a_bar()
    {
        var panel = Render(new ResetProgressReport(Since, [Run(11, 1, ResetState.Succeeded, 8, 0), Run(12, 2, ResetState.Succeeded, 9, 0)]), Since.AddSeconds(40));

        Assert.Empty(panel.FindAll("#reset-progress"));
        Assert.Equal("all-gone", panel.Find("#reset-outcome").GetAttribute("data-outcome"));
        Assert.Contains("all gone. 2 run(s) torn down and the verification scan found nothing left", panel.Find("#reset-outcome").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void When_something_is_left_the_outcome_names_it_and_the_next_action_not_a_red_full_bar()
    {
        var panel = Render(new ResetProgressReport(Since, [Run(11, 1, ResetState.Succeeded, 8, 0), Run(12, 2, ResetState.Failed, 9, 3, detail: "Verification scan found 3 resource(s) left")]), Since.AddSeconds(40));

        Assert.Empty(panel.FindAll("#reset-progress"));
        var outcome = panel.Find("#reset-outcome");
        Assert.Equal("left", outcome.GetAttribute("data-outcome"));
        Assert.Contains("3 resource(s) are still there", outcome.TextContent, StringComparison.Ordinal);
        Assert.Equal(["Jisoo"], panel.FindAll("#reset-left li strong").Select(s => s.TextContent));
        Assert.StartsWith("Next: delete what is left from the orphan sweeper, or reset again", panel.Find("#reset-next").TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal("classes/7/orphans", panel.Find("#reset-sweeper-link").GetAttribute("href"));
    }

    [Fact]
    public void A_reset_with_nothing_to_tear_down_ends_at_once_with_words_saying_so()
    {
        var panel = Render(new ResetProgressReport(Since, []), Since.AddSeconds(5));

        Assert.Equal("nothing", panel.Find("#reset-outcome").GetAttribute("data-outcome"));
    }

    [Fact]
    public void The_outcome_disappears_once_it_has_been_shown_for_a_while_and_a_running_reset_never_does()
    {
        var finished = new ResetProgressReport(Since, [Run(11, 1, ResetState.Succeeded, 8, 0, endedAfterSeconds: 30)]);
        var ended = Since.AddSeconds(30);

        Assert.NotEmpty(Render(finished, ended + ResetProgressPanel.DefaultOutcomeShownFor).FindAll("#reset-outcome"));
        Assert.Empty(Render(finished, ended + ResetProgressPanel.DefaultOutcomeShownFor + TimeSpan.FromSeconds(1)).FindAll("#reset-panel"));
        Assert.NotEmpty(Render(new ResetProgressReport(Since, [Run(12, 2, ResetState.InProgress, 9, 4)]), Since.AddHours(2)).FindAll("#reset-progress"));
        Assert.Empty(Render(ResetProgressReport.Empty, Since).FindAll("#reset-panel"));
    }
}
