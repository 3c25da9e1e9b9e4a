using System.Collections.Concurrent;
using System.Net;
using Amazon.Runtime;
using Hangfire;
using LabPortal.Features.LabRuns.Actions;
using LabPortal.Features.LabRuns.Engine;
using LabPortal.Infrastructure.Data;
using LabPortal.Tests.E2E.Cleanup;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.Portal.Labs;

/// <summary>
/// Which failures Hangfire retries: the fixture lab's action step runs a scripted action (in place of
/// its real one) that fails the way AWS does. A validation error fails the step once, for good; a
/// throttling error is retried with backoff and the step then succeeds, showing its attempt count.
/// </summary>
public class StepRetryTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();

    /// <summary>The fixture lab's action as this test scripts it.</summary>
    protected ScriptedAction Action { get; } = new();

    protected PortalFactory Factory => _factory;
    private PortalFactory _factory = null!;

    public StepRetryTests()
        : this(TestDatabase.Default)
    {
    }

    /// <summary>On <paramref name="database"/>, whatever the run's default (<see cref="StepRetryOnPostgreSqlTests"/>).</summary>
    protected StepRetryTests(TestDatabaseProvider database)
    {
        TestDatabase.Use(_data.Path, database);
    }

    public Task InitializeAsync()
    {
        _factory = new PortalFactory(_data.Path, PortalFactory.OnSandbox(new Dictionary<string, string?> { ["Labs:Directory"] = PortalFactory.FixtureLabs }), services =>
        {
            var real = services.Single(d => d.ServiceType == typeof(ILabAction) && d.ImplementationType == typeof(CreateTargetGroupWithTargets));
            services.Remove(real);
            services.AddSingleton<ILabAction>(Action);
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Validation_failure_is_not_retried()
    {
        Action.Script.Enqueue(new AmazonServiceException("Target group name 'web_tg' can only contain characters that are alphanumeric characters or hyphens(-)", null, ErrorType.Sender, "ValidationError", "req-validation", HttpStatusCode.BadRequest));
        var stepRunId = await SubmitActionStepAsync("RETRY1");

        var step = await WaitForEndAsync(stepRunId);
        Assert.Equal(StepRunStatus.Failed, step.Status);
        Assert.Equal("ValidationError", step.ErrorCode);
        Assert.Equal(1, step.Attempts);

        // Well past the first retry's delay (2 s): still one execution, and Hangfire holds no retry.
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Single(Action.Executions);
        var monitoring = _factory.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        Assert.Equal(0, monitoring.ScheduledCount());
        Assert.Equal(0, monitoring.FailedCount());
    }

    [Fact]
    public async Task Throttling_failure_is_retried_with_backoff_and_succeeds()
    {
        Action.Script.Enqueue(new AmazonServiceException("Rate exceeded", null, ErrorType.Sender, "Throttling", "req-throttled", HttpStatusCode.BadRequest));
        var stepRunId = await SubmitActionStepAsync("RETRY2");

        var step = await WaitForEndAsync(stepRunId);
        Assert.True(step.Status == StepRunStatus.Succeeded, $"{step.Status}: {step.ErrorCode} {step.ErrorMessage}");
        Assert.Equal(2, step.Attempts);
        var executions = Action.Executions.Order().ToList();
        Assert.Equal(2, executions.Count);
        // The first delay is 2 s, but Hangfire files a scheduled job under its due time in whole Unix seconds,
        // rounded down, so the retry may start up to 1 s early (seen: 1.23 s on PostgreSQL storage). Without
        // backoff it would start within milliseconds.
        var gap = executions[1] - executions[0];
        Assert.True(gap >= TimeSpan.FromSeconds(1), $"Retried after {gap.TotalSeconds:0.00} s: no backoff.");
    }

    [Fact]
    public async Task A_waiting_step_whose_continuation_was_lost_gets_one_at_start_due_when_its_wait_ends()
    {
        Action.Script.Enqueue(new ContinueLaterException(TimeSpan.FromMinutes(10)));
        var stepRunId = await SubmitActionStepAsync("RETRY7");
        var waiting = await PortalState.WaitForAsync(_factory, db => db.StepRuns.AsNoTracking().SingleAsync(s => s.Id == stepRunId), s => s.WaitingUntilUtc != null && s.LeaseUntilUtc == null, "the step's wait");
        var storage = _factory.Services.GetRequiredService<JobStorage>();
        var monitoring = storage.GetMonitoringApi();
        var continuation = Assert.Single(monitoring.ScheduledJobs(0, 10));
        Assert.Contains(stepRunId, StepRunResumer.StepRunsWithJobs(storage));

        // A start while the continuation is scheduled adds nothing.
        var resumer = ActivatorUtilities.CreateInstance<StepRunResumer>(_factory.Services);
        await resumer.StartAsync(CancellationToken.None);
        Assert.Single(monitoring.ScheduledJobs(0, 10));

        // The process died between saving the wait and scheduling the continuation: no job would ever run the step.
        Assert.True(_factory.Services.GetRequiredService<IBackgroundJobClient>().Delete(continuation.Key));
        Assert.DoesNotContain(stepRunId, StepRunResumer.StepRunsWithJobs(storage));
        await resumer.StartAsync(CancellationToken.None);

        var restored = Assert.Single(monitoring.ScheduledJobs(0, 10));
        Assert.NotEqual(continuation.Key, restored.Key);
        Assert.Equal(stepRunId, restored.Value.Job.Args[0]);
        var due = DateTime.SpecifyKind(waiting.WaitingUntilUtc!.Value, DateTimeKind.Utc);
        Assert.InRange(restored.Value.EnqueueAt, due.AddSeconds(-2), due.AddSeconds(2));
    }

    protected async Task<int> SubmitActionStepAsync(string classCode)
    {
        var code = await Students.CreateClassAsync(_factory, classCode);
        using var student = await Students.JoinAsync(_factory, code, "Retry Student");
        var (started, _) = await student.SubmitAsync("/labs", "#start-fixture-lab", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var runId = int.Parse(started.Headers.Location!.OriginalString.Split('/', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
        var wizard = new WizardDriver(student);
        Assert.True(await wizard.ReadAsync(runId, "welcome"));
        Assert.True((await wizard.AnswerAsync(runId, "concepts", new Dictionary<string, string> { ["kinds"] = "alb" }))!.Passed);
        var submitted = await wizard.SubmitAsShownAsync(runId, "target-group");
        Assert.True(submitted is { Succeeded: true }, $"The action was refused: {(submitted is null ? "not found" : string.Join("; ", submitted.Errors.Values))}");
        return await PortalState.ReadAsync(_factory, db => db.StepRuns.Where(s => s.StepId == "target-group").Select(s => s.Id).SingleAsync());
    }

    protected Task<StepRun> WaitForEndAsync(int stepRunId) =>
        PortalState.WaitForAsync(_factory, db => db.StepRuns.AsNoTracking().SingleAsync(s => s.Id == stepRunId), s => s.Status is StepRunStatus.Succeeded or StepRunStatus.Failed, "the step's end");

    /// <summary>Stands in for the fixture lab's action: throws the scripted failures in turn, then succeeds; records when it ran.</summary>
    protected sealed class ScriptedAction : ILabAction
    {
        public ConcurrentQueue<Exception> Script { get; } = new();

        public ConcurrentBag<DateTime> Executions { get; } = [];

        /// <summary>When set, a succeeding execution waits for it: the step's lease stays held while the test acts.</summary>
        public TaskCompletionSource? Hold { get; set; }

        public string Name => nameof(CreateTargetGroupWithTargets);

        public Task RunAsync(LabActionContext context, CancellationToken cancellationToken)
        {
            Executions.Add(DateTime.UtcNow);
            return Script.TryDequeue(out var failure) ? Task.FromException(failure) : Hold?.Task.WaitAsync(cancellationToken) ?? Task.CompletedTask;
        }
    }
}
