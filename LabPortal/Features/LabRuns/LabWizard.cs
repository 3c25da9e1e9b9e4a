using System.Text.Json;
using LabPortal.Features.LabRuns.Drill;
using LabPortal.Features.LabRuns.Engine;
using LabPortal.Features.Labs.Definitions;
using LabPortal.Infrastructure.Activity;
using LabPortal.Infrastructure.Data;
using LabPortal.Infrastructure.Forms;
using LabPortal.Infrastructure.Live;
using LabPortal.Infrastructure.Localization;
using LabPortal.Infrastructure.Scopes;

namespace LabPortal.Features.LabRuns;

/// <summary>
/// What the interactive lab wizard can do, each call on behalf of one signed-in learner: every
/// method loads the run by id <em>and</em> learner, so a circuit action aimed at another learner's run
/// (or a run that does not exist) finds nothing, changes nothing and answers null. Each call gets its
/// own unit of work (<see cref="WizardServices"/> from a new scope, so its own DbContext): a Blazor circuit lives for hours and must not hold one.
/// Changes are published on <see cref="RunChanges"/> so every open tab of the run follows.
/// </summary>
public sealed class LabWizard(Scoped<WizardServices> work, RunChanges changes)
{
    public async Task<RunView?> LoadAsync(int userId, int runId, CancellationToken cancellationToken = default)
    {
        await using var unit = work.Begin();
        return await unit.Service.Runs.GetAsync(runId, userId, cancellationToken);
    }

    /// <summary>The learner opened a step: it becomes the run's current step (where a reload or restart returns) and counts as activity.</summary>
    public async Task<RunView?> OpenStepAsync(int userId, int runId, string stepId, CancellationToken cancellationToken = default)
    {
        await using var unit = work.Begin();
        var runs = unit.Service.Runs;
        var view = await runs.GetAsync(runId, userId, cancellationToken);
        if (view?.Step(stepId) is null)
        {
            return null;
        }

        await runs.MarkCurrentAsync(runId, stepId, cancellationToken);
        return view;
    }

    /// <summary>The learner opened the run's live panel: counts as activity (the idle clock restarts).</summary>
    public async Task<RunView?> OpenLivePanelAsync(int userId, int runId, CancellationToken cancellationToken = default)
    {
        await using var unit = work.Begin();
        var view = await unit.Service.Runs.GetAsync(runId, userId, cancellationToken);
        if (view is not null)
        {
            await unit.Service.Cleanup.TouchAsync(runId, userId, cancellationToken);
        }

        return view;
    }

    /// <summary>The step a learner resumes at: the one they were on, else the first not done.</summary>
    public static string ResumeStep(RunView view) =>
        view.Run.CurrentStepId is { } current && view.Step(current) is { Unlocked: true } ? current : view.NextStep.Definition.Id;

    public async Task<bool?> CompleteReadAsync(int userId, int runId, string stepId, CancellationToken cancellationToken = default)
    {
        await using var unit = work.Begin();
        var runs = unit.Service.Runs;
        if (await runs.GetAsync(runId, userId, cancellationToken) is not { } view)
        {
            return null;
        }

        var done = await runs.CompleteReadAsync(view, stepId, cancellationToken);
        changes.Publish(runId);
        return done;
    }

    public async Task<QuizOutcome?> SubmitQuizAsync(int userId, int runId, string stepId, IReadOnlyDictionary<string, string> answers, CancellationToken cancellationToken = default)
    {
        await using var unit = work.Begin();
        var runs = unit.Service.Runs;
        if (await runs.GetAsync(runId, userId, cancellationToken) is not { } view)
        {
            return null;
        }

        var outcome = await runs.SubmitQuizAsync(view, stepId, answers, cancellationToken);
        changes.Publish(runId);
        return outcome;
    }

    /// <summary>The run-time choices of the step's <c>choicesFrom</c> parameters, read from the learner's cloud now.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<ParameterChoice>?>?> ChoicesAsync(int userId, int runId, string stepId, CancellationToken cancellationToken = default)
    {
        await using var unit = work.Begin();
        var view = await unit.Service.Runs.GetAsync(runId, userId, cancellationToken);
        if (view?.Step(stepId) is not { Unlocked: true, NotAvailableHere: false } step || !step.Definition.Parameters.Any(p => p.ChoicesFrom is not null))
        {
            return null;
        }

        return await unit.Service.Choices.ForStepAsync(view, step.Definition, cancellationToken);
    }

    /// <summary>
    /// Validates the values (each field with AWS's rules, then the rules across fields), saves them and
    /// queues the step's job; answers the new step run's id. Refused, with nothing saved, while the step
    /// already runs (a double submit, a second tab) or once the run is torn down. Null for a run that is
    /// not the learner's.
    /// </summary>
    public async Task<FormResult<int>?> SubmitActionAsync(int userId, int runId, string stepId, IReadOnlyDictionary<string, string?> values, CancellationToken cancellationToken = default)
    {
        await using var unit = work.Begin();
        var runs = unit.Service.Runs;
        if (await runs.GetAsync(runId, userId, cancellationToken) is not { } view || view.Step(stepId) is not { } step)
        {
            return null;
        }

        if (step.InProgress)
        {
            return FormResult.Invalid<int>(new() { [""] = L.T("This step is already running. Wait for it to finish.", "이 단계가 이미 실행 중입니다. 끝날 때까지 기다리세요.") });
        }

        if (view.Run.Status is LabRunStatus.TearingDown or LabRunStatus.TornDown)
        {
            // Anything made now would race the teardown or outlive it untracked by a live run.
            return FormResult.Invalid<int>(new() { [""] = L.T("This lab run has been torn down. Start the lab again from the labs page.", "이 실습 실행은 정리되었습니다. 실습 목록에서 실습을 다시 시작하세요.") });
        }

        IReadOnlyDictionary<string, IReadOnlyList<ParameterChoice>?>? choices = null;
        if (step.Unlocked && !step.NotAvailableHere && step.Definition.Parameters.Any(p => p.ChoicesFrom is not null))
        {
            // Read now: the choice must still be in the cloud when it is submitted.
            choices = await unit.Service.Choices.ForStepAsync(view, step.Definition, cancellationToken);
        }

        var saved = await runs.SaveActionValuesAsync(view, stepId, values, choices, cancellationToken);
        if (!saved.Succeeded)
        {
            return FormResult.Invalid<int>(new(saved.Errors));
        }

        var stepRunId = 0;
        if (step.Definition.Action is not null)
        {
            stepRunId = await unit.Service.Scheduler.ScheduleAsync(view.Run, stepId, JsonSerializer.Serialize(saved.Value), cancellationToken);
        }

        changes.Publish(runId);
        return FormResult.Ok(stepRunId);
    }

    /// <summary>The finish step's "keep my resources"; answers when auto-cleanup removes them.</summary>
    public async Task<FormResult<DateTime>?> KeepAsync(int userId, int runId, string stepId, CancellationToken cancellationToken = default)
    {
        await using var unit = work.Begin();
        var runs = unit.Service.Runs;
        if (await runs.GetAsync(runId, userId, cancellationToken) is not { } view)
        {
            return null;
        }

        var result = await runs.KeepResourcesAsync(view, stepId, cancellationToken);
        changes.Publish(runId);
        return result;
    }

    /// <summary>When auto-cleanup removes a kept run's resources.</summary>
    public async Task<DateTime?> KeptUntilAsync(int userId, int runId, CancellationToken cancellationToken = default)
    {
        await using var unit = work.Begin();
        var runs = unit.Service.Runs;
        return await runs.GetAsync(runId, userId, cancellationToken) is { } view ? runs.KeptUntil(view.Run) : null;
    }

    /// <summary>"Check my progress": read-only checks against the cloud's real state.</summary>
    public async Task<IReadOnlyList<CheckResult>?> CheckAsync(int userId, int runId, string stepId, CancellationToken cancellationToken = default)
    {
        await using var unit = work.Begin();
        var runs = unit.Service.Runs;
        if (await runs.GetAsync(runId, userId, cancellationToken) is not { } view || view.Step(stepId) is not { Unlocked: true } step)
        {
            return null;
        }

        var results = await unit.Service.Checker.CheckAsync(view, step.Definition, cancellationToken);
        changes.Publish(runId);
        return results;
    }

    /// <summary>Lab 2's drill timeline (null timeline: no drill yet; a problem: the cloud could not be read now).</summary>
    public async Task<(DrillTimelineView? Timeline, string? Problem)?> DrillAsync(int userId, int runId, CancellationToken cancellationToken = default)
    {
        await using var unit = work.Begin();
        if (await unit.Service.Runs.GetAsync(runId, userId, cancellationToken) is not { } view)
        {
            return null;
        }

        return await unit.Service.Drill.TryBuildAsync(view, cancellationToken);
    }

    /// <summary>The run's cleanup timer (null when the run is not active or not the learner's).</summary>
    public async Task<CleanupTimer?> TimerAsync(int userId, int runId, CancellationToken cancellationToken = default)
    {
        await using var unit = work.Begin();
        if (await unit.Service.Runs.GetAsync(runId, userId, cancellationToken) is null)
        {
            return null;
        }

        return await unit.Service.Cleanup.TimerForAsync(runId, cancellationToken);
    }

    /// <summary>The one "keep working" of a warned run.</summary>
    public async Task<KeepWorkingResult> KeepWorkingAsync(int userId, int runId, CancellationToken cancellationToken = default)
    {
        await using var unit = work.Begin();
        var result = await unit.Service.Cleanup.KeepWorkingAsync(runId, userId, cancellationToken);
        changes.Publish(runId);
        return result;
    }
}
