using System.Net;
using LabPortal.Features.LivePanel;
using LabPortal.Infrastructure.Activity;
using LabPortal.Infrastructure.Data;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.Portal.Labs;

/// <summary>
/// Two students of one class, each with a run of the same lab: neither reaches the other's run
/// through any page or any circuit action. The wizard's actions are the calls an interactive page
/// makes for its signed-in user; the intruder makes each of them with the owner's run id, so only
/// the ownership check can stop them. Pages answer 404 exactly as for a run that does not exist.
/// </summary>
public sealed class LabRunIsolationTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private PortalFactory _factory = null!;
    private PortalClient _owner = null!;
    private PortalClient _intruder = null!;
    private int _ownerRun;

    public async Task InitializeAsync()
    {
        _factory = new PortalFactory(_data.Path);
        var code = await Students.CreateClassAsync(_factory, "ISOL01");
        _owner = await Students.JoinAsync(_factory, code, "Owner");
        _intruder = await Students.JoinAsync(_factory, code, "Intruder");
        _ownerRun = await StartAndPassFirstStepsAsync(_owner);
        await StartAndPassFirstStepsAsync(_intruder);

        // The owner's action step has run once (it fails: this portal has no cloud), so it has a status and a retry.
        var submitted = await new WizardDriver(_owner).SubmitAsShownAsync(_ownerRun, "target-group");
        Assert.True(submitted!.Succeeded);
        await WaitUntilFinishedAsync();
    }

    public async Task DisposeAsync()
    {
        _owner.Dispose();
        _intruder.Dispose();
        await _factory.DisposeAsync();
        _data.Dispose();
    }

    [Theory]
    [InlineData("")]
    [InlineData("/steps/welcome")]
    [InlineData("/steps/target-group")]
    [InlineData("/live")]
    public async Task Pages_of_another_students_run_answer_not_found_like_a_missing_run_and_start_no_poller(string suffix)
    {
        var (mine, minePage) = await _owner.GetAsync($"/runs/{_ownerRun}{suffix}");
        var (theirs, page) = await _intruder.GetAsync($"/runs/{_ownerRun}{suffix}");
        var (missing, missingPage) = await _intruder.GetAsync($"/runs/{int.MaxValue}{suffix}");

        Assert.True(mine.StatusCode is HttpStatusCode.OK or HttpStatusCode.Redirect, $"{(int)mine.StatusCode}");
        Assert.Null(minePage.QuerySelector("#run-not-found"));
        Assert.DoesNotContain("not found", minePage.QuerySelector("h1")?.TextContent ?? "", StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        // The portal's not-found page, the same for both: the answer does not tell that the run exists.
        Assert.Contains("not found", page.QuerySelector("main h1")!.TextContent, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(missingPage.QuerySelector("main")!.TextContent, page.QuerySelector("main")!.TextContent);
        Assert.Equal(0, _factory.Services.GetRequiredService<LivePanelHub>().PollerCount);
    }

    [Fact]
    public async Task Every_wizard_action_on_another_students_run_finds_nothing_and_changes_nothing()
    {
        var before = await SnapshotAsync();
        var intruder = new WizardDriver(_intruder);
        var wizard = intruder.Wizard;
        var id = await intruder.UserIdAsync();

        Assert.Null(await wizard.LoadAsync(id, _ownerRun));
        Assert.Null(await wizard.OpenStepAsync(id, _ownerRun, "finish"));
        Assert.Null(await wizard.CompleteReadAsync(id, _ownerRun, "welcome"));
        Assert.Null(await wizard.SubmitQuizAsync(id, _ownerRun, "concepts", new Dictionary<string, string> { ["kinds"] = "alb" }));
        Assert.Null(await wizard.ChoicesAsync(id, _ownerRun, "target-group"));
        Assert.Null(await wizard.SubmitActionAsync(id, _ownerRun, "target-group", new Dictionary<string, string?> { ["targetGroupName"] = "stolen-tg", ["sshSource"] = "0.0.0.0/0" }));
        Assert.Null(await wizard.KeepAsync(id, _ownerRun, "target-group"));
        Assert.Null(await wizard.KeptUntilAsync(id, _ownerRun));
        Assert.Null(await wizard.CheckAsync(id, _ownerRun, "target-group"));
        Assert.Null(await wizard.DrillAsync(id, _ownerRun));
        Assert.Null(await wizard.TimerAsync(id, _ownerRun));
        Assert.Equal(KeepWorkingResult.NotFound, await wizard.KeepWorkingAsync(id, _ownerRun));

        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task A_form_post_to_another_students_step_page_is_answered_like_the_page_not_found()
    {
        var before = await SnapshotAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/runs/{_ownerRun}/steps/target-group")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["_handler"] = "action", ["Values[targetGroupName]"] = "stolen-tg" }),
        };

        var response = await _intruder.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task The_owner_sees_the_failed_step_with_its_code_and_one_retry()
    {
        var (response, page) = await _owner.GetAsync($"/runs/{_ownerRun}/steps/target-group");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("failed", page.QuerySelector("#step-status-text")!.GetAttribute("data-state"));
        Assert.False(string.IsNullOrWhiteSpace(page.QuerySelector("#step-error-code")!.TextContent));
        Assert.Single(page.QuerySelectorAll("button"), b => b.TextContent.Contains("Retry", StringComparison.Ordinal));
    }

    private static async Task<int> StartAndPassFirstStepsAsync(PortalClient student)
    {
        var (started, _) = await student.SubmitAsync("/labs", "#start-fixture-lab", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var runId = int.Parse(started.Headers.Location!.OriginalString.Split('/', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
        var wizard = new WizardDriver(student);
        Assert.True(await wizard.ReadAsync(runId, "welcome"));
        Assert.True((await wizard.AnswerAsync(runId, "concepts", new Dictionary<string, string> { ["kinds"] = "alb" }))!.Passed);
        return runId;
    }

    /// <summary>What an intruder's action could change: the owner's step runs, saved values, current step, status and ledger.</summary>
    private async Task<string> SnapshotAsync()
    {
        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var run = await db.LabRuns.AsNoTracking().SingleAsync(r => r.Id == _ownerRun);
        var steps = string.Join(";", await db.StepRuns.Where(s => s.LabRunId == _ownerRun).OrderBy(s => s.Id).Select(s => $"{s.Id}:{s.StepId}:{s.Status}:{s.Attempts}").ToListAsync());
        var ledger = await db.Ledger.CountAsync();
        return $"{steps}|{run.ValuesJson}|{run.CurrentStepId}|{run.Status}|{run.ExtendedAtUtc}|{run.LastActivityAtUtc:O}|{ledger}";
    }

    private async Task WaitUntilFinishedAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            using var scope = _factory.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            if (await db.StepRuns.AnyAsync(s => s.LabRunId == _ownerRun && s.StepId == "target-group" && s.Status == StepRunStatus.Failed))
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("The owner's target-group step never finished.");
    }
}
