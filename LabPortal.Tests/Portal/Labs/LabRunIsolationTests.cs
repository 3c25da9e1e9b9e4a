using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Hangfire;
using LabPortal.Features.LivePanel;
using LabPortal.Infrastructure.Data;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.Portal.Labs;

/// <summary>
/// Two students of one class, each with a run of the same lab: neither reaches the other's run
/// through its fragments, its live panel stream or its step forms. (The run and step pages are
/// covered by <see cref="LabRunPagesTests"/>.) The intruder always holds a valid session and a
/// valid antiforgery token of their own, taken from the same form on their own run, so only the
/// ownership check can stop them.
/// </summary>
public sealed class LabRunIsolationTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private PortalFactory _factory = null!;
    private PortalClient _owner = null!;
    private PortalClient _intruder = null!;
    private string _ownerRun = "";
    private string _intruderRun = "";

    public async Task InitializeAsync()
    {
        _factory = new PortalFactory(_data.Path);
        var code = await Students.CreateClassAsync(_factory, "ISOL01");
        _owner = await Students.JoinAsync(_factory, code, "Owner");
        _intruder = await Students.JoinAsync(_factory, code, "Intruder");
        _ownerRun = await StartAndPassFirstStepsAsync(_owner);
        _intruderRun = await StartAndPassFirstStepsAsync(_intruder);

        // The owner's action step has run once (it fails: this portal has no cloud), so its status
        // fragment exists and its form offers Retry.
        var (submitted, _) = await _owner.SubmitAsShownAsync($"{_ownerRun}/steps/target-group", "#action-form");
        Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
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
    [InlineData(true)]
    [InlineData(false)]
    public async Task Step_status_fragment_of_another_students_run_is_not_found(bool htmx)
    {
        var path = $"{_ownerRun}/steps/target-group/status";

        var mine = await GetAsync(_owner, path, htmx);
        var theirs = await GetAsync(_intruder, path, htmx);

        // The owner gets the fragment (or, without htmx, a redirect to the step page) ...
        Assert.Equal(htmx ? HttpStatusCode.OK : HttpStatusCode.Redirect, mine.StatusCode);
        // ... the intruder learns nothing, not even that the run exists.
        Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        Assert.DoesNotContain("step-status", await theirs.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/live")]
    [InlineData("/live?paused=true")]
    public async Task Live_panel_page_of_another_students_run_is_not_found_and_starts_no_poller(string suffix)
    {
        var (response, page) = await _intruder.GetAsync(_ownerRun + suffix);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Null(page.QuerySelector("#panel-targets"));
        Assert.Null(_factory.Services.GetRequiredService<LivePanelHub>().Find(RunId(_ownerRun)));
    }

    [Fact]
    public async Task Live_panel_stream_of_another_students_run_is_not_found_and_starts_no_poller()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{_ownerRun}/live/stream");
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await _intruder.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.NotEqual("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Null(_factory.Services.GetRequiredService<LivePanelHub>().Find(RunId(_ownerRun)));
    }

    [Fact]
    public async Task Retry_posted_to_another_students_step_is_refused_and_schedules_nothing()
    {
        var before = await SnapshotAsync();

        var fields = new Dictionary<string, string>
        {
            ["Values[targetGroupName]"] = "stolen-tg",
            ["Values[sshSource]"] = "0.0.0.0/0",
        };

        var response = await PostIntoOwnersRunAsync("target-group", "#action-form", fields);

        await AssertRefusedAsync(response, before, "target-group", "#action-form", fields);
    }

    [Theory]
    [InlineData("welcome", "#read-form")]
    [InlineData("concepts", "#quiz-form")]
    public async Task Read_and_quiz_forms_posted_to_another_students_run_record_nothing(string stepId, string form)
    {
        var before = await SnapshotAsync();
        var fields = stepId == "concepts" ? new Dictionary<string, string> { ["Answers[kinds]"] = "alb" } : [];

        var response = await PostIntoOwnersRunAsync(stepId, form, fields);

        await AssertRefusedAsync(response, before, stepId, form, fields);
    }

    private static int RunId(string runUrl) => int.Parse(runUrl.Split('/', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<HttpResponseMessage> GetAsync(PortalClient client, string path, bool htmx)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (htmx)
        {
            request.Headers.Add("HX-Request", "true");
        }

        return await client.Http.SendAsync(request);
    }

    /// <summary>
    /// The intruder fills the same form on their own run (their session's antiforgery token and the
    /// form's name come with it) and posts it to the owner's step address instead.
    /// </summary>
    private Task<HttpResponseMessage> PostIntoOwnersRunAsync(string stepId, string formSelector, IDictionary<string, string> fields) =>
        PostFromOwnFormAsync(stepId, formSelector, fields, $"{_ownerRun}/steps/{stepId}");

    private async Task<HttpResponseMessage> PostFromOwnFormAsync(string stepId, string formSelector, IDictionary<string, string> fields, string target)
    {
        var (_, ownPage) = await _intruder.GetAsync($"{_intruderRun}/steps/{stepId}");
        var form = ownPage.QuerySelector<IHtmlFormElement>(formSelector) ?? throw new InvalidOperationException($"No {formSelector} on the intruder's own {stepId} step.");
        var values = form.QuerySelectorAll<IHtmlInputElement>("input[type=hidden]")
            .Where(i => i.Name is { Length: > 0 })
            .Select(i => new KeyValuePair<string, string>(i.Name!, i.Value))
            .Concat(fields)
            .ToList();
        Assert.Contains(values, v => v.Key == "__RequestVerificationToken");
        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new FormUrlEncodedContent(values) };
        return await _intruder.Http.SendAsync(request);
    }

    /// <summary>
    /// Refused exactly as a post to a run that does not exist is (so the answer does not even tell
    /// the run exists), and as the intruder's GET of the page is: 404 with the not-found page (not
    /// Blazor's empty 400 for a form it cannot find), with nothing of the owner's run changed.
    /// </summary>
    private async Task AssertRefusedAsync(HttpResponseMessage response, RunSnapshot before, string stepId, string formSelector, IDictionary<string, string> fields)
    {
        var body = await response.Content.ReadAsStringAsync();
        var missing = await PostFromOwnFormAsync(stepId, formSelector, fields, $"/runs/{int.MaxValue}/steps/{stepId}");
        var (viewed, viewedPage) = await _intruder.GetAsync($"{_ownerRun}/steps/{stepId}");

        Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{(int)response.StatusCode}: {body}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, viewed.StatusCode);
        var parser = new AngleSharp.Html.Parser.HtmlParser();
        var page = parser.ParseDocument(body);
        var missingPage = parser.ParseDocument(await missing.Content.ReadAsStringAsync());
        Assert.Contains("not found", page.QuerySelector("main h1")?.TextContent, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(MainContent(viewedPage), MainContent(page));
        Assert.Equal(MainContent(missingPage), MainContent(page));
        Assert.Null(page.QuerySelector("main form"));
        Assert.Equal(before, await SnapshotAsync());
    }

    /// <summary>The page's main content (the layout around it carries per-request tokens).</summary>
    private static string MainContent(IDocument page) => page.QuerySelector("main")?.InnerHtml ?? throw new InvalidOperationException("The page has no main landmark.");

    /// <summary>What an intruder's post could change: the owner's step runs, saved values and ledger, and the scheduled jobs.</summary>
    private async Task<RunSnapshot> SnapshotAsync()
    {
        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var id = RunId(_ownerRun);
        var run = await db.LabRuns.AsNoTracking().SingleAsync(r => r.Id == id);
        var steps = string.Join(";", await db.StepRuns.Where(s => s.LabRunId == id).OrderBy(s => s.Id).Select(s => $"{s.Id}:{s.StepId}:{s.Status}:{s.Attempts}").ToListAsync());
        var ledger = await db.Ledger.CountAsync();
        var jobs = JobCount();
        return new RunSnapshot(steps, run.ValuesJson, run.CurrentStepId, ledger, jobs);
    }

    /// <summary>The step and teardown jobs this portal's storage holds or held (enqueued, scheduled, running, done or failed); the recurring auto-cleanup sweep is not the run's.</summary>
    private int JobCount()
    {
        var monitoring = _factory.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var types = monitoring.EnqueuedJobs("default", 0, 1000).Select(j => j.Value.Job?.Type)
            .Concat(monitoring.ScheduledJobs(0, 1000).Select(j => j.Value.Job?.Type))
            .Concat(monitoring.ProcessingJobs(0, 1000).Select(j => j.Value.Job?.Type))
            .Concat(monitoring.SucceededJobs(0, 1000).Select(j => j.Value.Job?.Type))
            .Concat(monitoring.FailedJobs(0, 1000).Select(j => j.Value.Job?.Type));
        return types.Count(t => t != typeof(LabPortal.Features.Cleanup.CleanUpIdleRuns));
    }

    private async Task WaitUntilFinishedAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            using var scope = _factory.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var monitoring = _factory.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
            if (!await db.StepRuns.AnyAsync(s => s.Status == StepRunStatus.Pending || s.Status == StepRunStatus.Running)
                && monitoring.ProcessingJobs(0, 1000).All(j => j.Value.Job?.Type == typeof(LabPortal.Features.Cleanup.CleanUpIdleRuns))
                && monitoring.ScheduledCount() == 0)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The owner's step never finished.");
    }

    private static async Task<string> StartAndPassFirstStepsAsync(PortalClient student)
    {
        var (started, _) = await student.SubmitAsync("/labs", "#start-fixture-lab", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var location = started.Headers.Location!;
        var runUrl = location.IsAbsoluteUri ? location.PathAndQuery : "/" + location.OriginalString.TrimStart('/');
        var (read, _) = await student.SubmitAsync($"{runUrl}/steps/welcome", "#read-form", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, read.StatusCode);
        var (quiz, _) = await student.SubmitAsync($"{runUrl}/steps/concepts", "#quiz-form", new Dictionary<string, string> { ["Answers[kinds]"] = "alb" });
        Assert.Equal(HttpStatusCode.Redirect, quiz.StatusCode);
        return runUrl;
    }

    private sealed record RunSnapshot(string Steps, string ValuesJson, string? CurrentStepId, int Ledger, int Jobs);
}
