using Bunit;
using LabPortal.Features.Instructors;
using LabPortal.Infrastructure.Data;
using LabPortal.Tests.E2E;

namespace LabPortal.Tests.Components;

/// <summary>One run on the learner page: differences between our records and AWS in words, quiz answers as answers, request ids on demand.</summary>
public sealed class LearnerRunViewTests : ComponentTestContext
{
    private static readonly DateTime Started = new(2026, 12, 7, 2, 0, 0, DateTimeKind.Utc);

    private static LedgerEntry Entry(int id, string kind, string name, LedgerState state) => new()
    {
        Id = id,
        LabRunId = 5,
        Kind = Enum.Parse<ResourceKind>(kind),
        Name = name,
        ResourceId = $"{kind.ToLowerInvariant()}-{id}",
        Region = "ap-northeast-2",
        State = state,
        CreatedAtUtc = Started,
        CompletedAtUtc = Started,
    };

    private static StepRun Step(int id, string stepId, StepRunStatus status, double seconds = 2, string? code = null, string? message = null) => new()
    {
        Id = id,
        LabRunId = 5,
        StepId = stepId,
        Status = status,
        Attempts = 1,
        CreatedAtUtc = Started,
        StartedAtUtc = Started,
        FinishedAtUtc = Started.AddSeconds(seconds),
        ErrorCode = code,
        ErrorMessage = message,
        RequestIds = $"req-{id}-a req-{id}-b",
    };

    private IRenderedComponent<LearnerRunView> Render(IReadOnlyList<LedgerComparison> ledger, IReadOnlyList<StepRun> steps) =>
        Context.Render<LearnerRunView>(p => p
            .Add(v => v.Item, new LearnerRun(new LabRun { Id = 5, NamePrefix = "lpabc123", LabId = Lab1Flow.Lab.Id, Status = LabRunStatus.Active, StartedAtUtc = Started, LastActivityAtUtc = Started }, Lab1Flow.Lab, null, null, ledger, null, steps))
            .Add(v => v.NowUtc, Started.AddMinutes(5))
            .Add(v => v.OnSandbox, true));

    [Fact]
    public void Differences_between_our_records_and_AWS_are_in_plain_words_without_jargon()
    {
        var view = Render(
            [
                new LedgerComparison(Entry(1, "Instance", "web-01", LedgerState.Created), null, Drift.GoneFromCloud),
                new LedgerComparison(Entry(2, "SecurityGroup", "old-sg", LedgerState.Deleted), "exists", Drift.StillInCloud),
                new LedgerComparison(Entry(3, "Instance", "web-02", LedgerState.Created), "stopped", Drift.StateDiffers),
                new LedgerComparison(Entry(4, "TargetGroup", "web-tg", LedgerState.Created), "exists", Drift.None),
            ],
            []);

        string Words(string name) => view.FindAll(".ledger-table tbody tr").Single(tr => tr.QuerySelector("td:nth-child(2)")!.TextContent == name).QuerySelector(".difference")!.TextContent.Trim();
        Assert.Equal("missing in AWS", Words("web-01"));
        Assert.Equal("still in AWS, not in our records (recorded as deleted)", Words("old-sg"));
        Assert.Equal("in AWS, but stopped", Words("web-02"));
        Assert.Equal("same in AWS", Words("web-tg"));
        Assert.Equal("3 difference(s) between our records and AWS.", view.Find(".differences-summary").TextContent.Trim());
        Assert.DoesNotContain("drift", view.Markup.Replace("data-drift", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Differences_are_in_Korean_for_a_Korean_viewer()
    {
        System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo("ko");
        var view = Render([new LedgerComparison(Entry(1, "Instance", "web-01", LedgerState.Created), null, Drift.GoneFromCloud)], []);

        Assert.Equal("AWS에 없음", view.Find(".difference").TextContent.Trim());
    }

    [Fact]
    public void Quiz_answers_read_answered_wrong_then_right_and_never_failed()
    {
        var view = Render([], [Step(1, "concepts", StepRunStatus.Failed), Step(2, "concepts", StepRunStatus.Succeeded)]);

        Assert.Equal($"{Lab1Flow.Lab.Step("concepts")!.Title.Text}: answered wrong, then right", view.Find(".quiz-summary li[data-step='concepts']").TextContent.Trim());
        Assert.Equal(["answered wrong", "answered right"], view.FindAll(".steps-table tr[data-step='concepts'] td:nth-child(2)").Select(td => td.TextContent.Trim()));
        Assert.DoesNotContain("failed", view.Find(".steps-table").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_action_shows_its_duration_and_what_AWS_said_and_request_ids_only_after_the_toggle()
    {
        var view = Render([], [Step(7, "target-group", StepRunStatus.Failed, seconds: 12.5, code: "DuplicateTargetGroupName", message: "A target group with the same name exists.")]);

        var row = view.Find(".steps-table tr[data-step='target-group']");
        Assert.Equal("failed", row.QuerySelector("td:nth-child(2)")!.TextContent.Trim());
        Assert.Equal("12.5 s", row.QuerySelector("td:nth-child(5)")!.TextContent.Trim());
        Assert.Equal("DuplicateTargetGroupName A target group with the same name exists.", System.Text.RegularExpressions.Regex.Replace(row.QuerySelector(".step-error")!.TextContent.Trim(), @"\s+", " "));
        Assert.DoesNotContain("req-7-a", view.Markup, StringComparison.Ordinal);

        view.Find(".request-ids-toggle input").Change(true);

        Assert.Equal("req-7-a req-7-b", view.Find(".steps-table tr[data-step='target-group'] .request-ids").TextContent.Trim());
    }
}
