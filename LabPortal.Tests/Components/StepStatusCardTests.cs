using Bunit;
using LabPortal.Features.LabRuns;
using LabPortal.Infrastructure.Data;
using LabPortal.Tests.E2E;

namespace LabPortal.Tests.Components;

public sealed class StepStatusCardTests : ComponentTestContext
{
    private static readonly StepState Next = new(Lab1Flow.Lab.Step("open-instances")!, 3, null, Unlocked: false, Done: false);

    private static StepState Instances(StepRunStatus? status, bool done = false, string? code = null, string? message = null) =>
        new(Lab1Flow.Lab.Step("instances")!, 2, status is null ? null : new StepRun
        {
            StepId = "instances",
            Status = status.Value,
            Attempts = 1,
            StartedAtUtc = new DateTime(2026, 12, 7, 3, 0, 0, DateTimeKind.Utc),
            FinishedAtUtc = status is StepRunStatus.Succeeded or StepRunStatus.Failed ? new DateTime(2026, 12, 7, 3, 0, 12, DateTimeKind.Utc) : null,
            ErrorCode = code,
            ErrorMessage = message,
        }, Unlocked: true, Done: done);

    private IRenderedComponent<StepStatusCard> Render(StepState step, Action? retry = null) =>
        Context.Render<StepStatusCard>(p => p.Add(c => c.Step, step).Add(c => c.Next, Next).Add(c => c.RunId, 7).Add(c => c.OnRetry, () => retry?.Invoke()));

    [Theory]
    [InlineData(StepRunStatus.Pending, "Waiting to start")]
    [InlineData(StepRunStatus.Running, "Running in the cloud")]
    public void StepStatusCard_shows_progress_and_no_next_action_while_the_job_is_pending_or_running(StepRunStatus status, string text)
    {
        var card = Render(Instances(status));

        Assert.Equal("running", card.Find("#step-status-text").GetAttribute("data-state"));
        Assert.Contains(text, card.Find("#step-status-text").TextContent, StringComparison.Ordinal);
        Assert.Empty(card.FindAll("#next-step"));
        Assert.Empty(card.FindAll("#retry-step"));
    }

    [Fact]
    public void StepStatusCard_makes_Next_the_primary_action_once_the_step_succeeded()
    {
        var card = Render(Instances(StepRunStatus.Succeeded, done: true));

        Assert.Contains("Done in 12.0 s.", card.Find("#step-status-text").TextContent, StringComparison.Ordinal);
        var next = card.Find("#next-step");
        Assert.Equal("runs/7/steps/open-instances", next.GetAttribute("href"));
        Assert.Contains("mud-button-filled-primary", next.ClassName, StringComparison.Ordinal);
    }

    [Fact]
    public void StepStatusCard_shows_AWS_code_and_message_our_sentence_and_one_retry_when_the_step_failed()
    {
        var retried = 0;
        var card = Render(Instances(StepRunStatus.Failed, code: "InsufficientInstanceCapacity", message: "We currently do not have sufficient t2.micro capacity in the Availability Zone you requested (ap-northeast-2a)."), () => retried++);

        Assert.Equal("failed", card.Find("#step-status-text").GetAttribute("data-state"));
        Assert.Equal("InsufficientInstanceCapacity", card.Find("#step-error-code").TextContent);
        Assert.Contains("sufficient t2.micro capacity", card.Find("#step-error-message").TextContent, StringComparison.Ordinal);
        Assert.NotEmpty(card.Find("#step-error-explained").TextContent);
        var retry = card.FindAll("button").Where(b => b.TextContent.Contains("Retry", StringComparison.Ordinal)).ToList();
        Assert.Single(retry);
        Assert.Empty(card.FindAll("#next-step"));
        retry[0].Click();
        Assert.Equal(1, retried);
    }

    [Fact]
    public void StepStatusCard_says_locked_for_a_step_whose_earlier_steps_are_not_done()
    {
        var card = Render(new StepState(Lab1Flow.Lab.Step("instances")!, 2, null, Unlocked: false, Done: false));

        Assert.Equal("locked", card.Find("#step-status-text").GetAttribute("data-state"));
        Assert.Empty(card.FindAll("button"));
    }
}
