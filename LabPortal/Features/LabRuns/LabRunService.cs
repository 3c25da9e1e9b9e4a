using System.Security.Cryptography;
using System.Text.Json;
using LabPortal.Features.Labs.Definitions;
using LabPortal.Infrastructure.Activity;
using LabPortal.Infrastructure.Audit;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Data;
using LabPortal.Infrastructure.Forms;
using LabPortal.Infrastructure.Guardrails;
using LabPortal.Infrastructure.Live;
using LabPortal.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace LabPortal.Features.LabRuns;

/// <summary>
/// A learner's lab runs: starting one, reading its state, and recording steps that need no cloud
/// (reading, quizzes). A learner only ever reaches their own runs: every query filters by user.
/// </summary>
public sealed class LabRunService(
    PortalDbContext db, LabCatalog catalog, LabAvailability availability, LearnerCloud cloud, TimeProvider time, AuditLog audit, CleanupService cleanup, CleanupClock cleanupClock, RunChanges changes,
    GuardrailReader guardrails)
{
    public async Task<IReadOnlyList<LabListItem>> ListForUserAsync(int userId, CancellationToken cancellationToken = default)
    {
        var runs = await db.LabRuns.Where(r => r.UserId == userId).Include(r => r.Steps).ToListAsync(cancellationToken);
        return catalog.Labs.Select(lab =>
        {
            var run = runs.Where(r => r.LabId == lab.Id).MaxBy(r => r.StartedAtUtc);
            var done = run is null ? 0 : lab.Steps.Count(s => run.Steps.Any(sr => sr.StepId == s.Id && sr.Status == StepRunStatus.Succeeded));
            return new LabListItem(lab, run, done, availability.MissingActions(lab));
        }).ToList();
    }

    /// <summary>
    /// Starts the lab, or returns the learner's run of it that is still active (one at a time). With an account
    /// pool the learner's AWS account is assigned here, when their run starts (issue 17), and kept until a reset
    /// returns it.
    /// </summary>
    /// <exception cref="AccountPoolExhaustedException">Every pool account serves another learner: nothing was created.</exception>
    public async Task<int?> StartAsync(int userId, string labId, CancellationToken cancellationToken = default)
    {
        var lab = catalog.Find(labId);
        if (lab is null || !availability.CanRun(lab))
        {
            return null;
        }

        var active = await db.LabRuns.Where(r => r.UserId == userId && r.LabId == labId && r.Status == LabRunStatus.Active)
            .Select(r => (int?)r.Id).FirstOrDefaultAsync(cancellationToken);
        if (active is not null)
        {
            return active;
        }

        var accountId = cloud.UsesAccountPool ? (await cloud.PoolAccountForUserAsync(userId, cancellationToken)).Id : (int?)null;
        var now = time.GetUtcNow().UtcDateTime;
        var run = new LabRun
        {
            UserId = userId,
            CloudAccountId = accountId,
            LabId = lab.Id,
            Status = LabRunStatus.Active,
            CurrentStepId = lab.Steps[0].Id,
            // Short and unique enough to keep names within AWS's 32 characters in a shared account.
            NamePrefix = "lp" + RandomNumberGenerator.GetHexString(6, lowercase: true),
            StartedAtUtc = now,
            LastActivityAtUtc = now,
        };
        db.LabRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        // A new row on the instructors' dashboards.
        changes.Publish(run.Id);
        return run.Id;
    }

    /// <summary>The run if it belongs to <paramref name="userId"/>; otherwise null (the pages answer 404).</summary>
    public async Task<RunView?> GetAsync(int runId, int userId, CancellationToken cancellationToken = default)
    {
        var run = await db.LabRuns.Include(r => r.Steps).SingleOrDefaultAsync(r => r.Id == runId && r.UserId == userId, cancellationToken);
        var lab = catalog.Find(run?.LabId);
        return run is null || lab is null ? null : View(run, lab, cloud.HasDataPlane);
    }

    public async Task MarkCurrentAsync(int runId, string stepId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await db.LabRuns.Where(r => r.Id == runId).ExecuteUpdateAsync(u => u.SetProperty(r => r.CurrentStepId, stepId).SetProperty(r => r.LastActivityAtUtc, now), cancellationToken);
    }

    /// <summary>Completes a read step.</summary>
    public async Task<bool> CompleteReadAsync(RunView view, string stepId, CancellationToken cancellationToken = default)
    {
        if (view.Step(stepId) is not { Unlocked: true, Definition.Kind: StepKind.Read })
        {
            return false;
        }

        await RecordAsync(view.Run, stepId, StepRunStatus.Succeeded, "{}", cancellationToken);
        return true;
    }

    /// <summary>
    /// Grades a quiz when every question has an answer; the attempt is recorded either way, and the step
    /// succeeds only when every answer is right. With a question unanswered nothing is graded or recorded.
    /// </summary>
    public async Task<QuizOutcome?> SubmitQuizAsync(RunView view, string stepId, IReadOnlyDictionary<string, string> answers, CancellationToken cancellationToken = default)
    {
        if (view.Step(stepId) is not { Unlocked: true, Definition.Kind: StepKind.Quiz } step)
        {
            return null;
        }

        var unanswered = step.Definition.Quiz.Where(q => !answers.TryGetValue(q.Id, out var a) || string.IsNullOrEmpty(a)).Select(q => q.Id).ToList();
        var correct = step.Definition.Quiz.Where(q => !unanswered.Contains(q.Id)).ToDictionary(
            q => q.Id,
            q => answers[q.Id] == q.Answer,
            StringComparer.Ordinal);
        var outcome = new QuizOutcome(correct, unanswered);
        if (unanswered.Count > 0)
        {
            return outcome;
        }

        var filtered = step.Definition.Quiz.Where(q => answers.ContainsKey(q.Id)).ToDictionary(q => q.Id, q => answers[q.Id], StringComparer.Ordinal);
        await RecordAsync(view.Run, stepId, outcome.Passed ? StepRunStatus.Succeeded : StepRunStatus.Failed, JsonSerializer.Serialize(filtered), cancellationToken);
        return outcome;
    }

    /// <summary>
    /// Checks an action step's values with AWS's rules (nothing is called or stored when one is
    /// wrong) and, when all are valid, saves them as the learner's values for the run. A parameter
    /// with run-time choices (<paramref name="runtimeChoices"/>, read from the cloud just now) must be
    /// one of them.
    /// </summary>
    public async Task<FormResult<IReadOnlyDictionary<string, string>>> SaveActionValuesAsync(
        RunView view, string stepId, IReadOnlyDictionary<string, string?> submitted,
        IReadOnlyDictionary<string, IReadOnlyList<ParameterChoice>?>? runtimeChoices = null, CancellationToken cancellationToken = default)
    {
        if (view.Step(stepId) is not { } step || step.Definition.Kind is not (StepKind.Action or StepKind.Finish))
        {
            return FormResult.Invalid<IReadOnlyDictionary<string, string>>(new() { [""] = L.T("This step takes no input.", "이 단계는 입력을 받지 않습니다.") });
        }

        if (!step.Unlocked)
        {
            return FormResult.Invalid<IReadOnlyDictionary<string, string>>(new() { [""] = L.T("Finish the earlier steps first.", "앞 단계를 먼저 마치세요.") });
        }

        if (step.NotAvailableHere)
        {
            return FormResult.Invalid<IReadOnlyDictionary<string, string>>(new() { [""] = NotAvailableText });
        }

        var (values, errors) = StepValidation.Check(step.Definition, submitted);
        foreach (var parameter in step.Definition.Parameters.Where(p => p.ChoicesFrom is not null && values.ContainsKey(p.Name)))
        {
            if (!IsRuntimeChoice(runtimeChoices, parameter, values[parameter.Name], out var message))
            {
                errors[parameter.Name] = message;
            }
        }

        // The class's guardrails (issue 17): an instance type the class does not allow is the field's error,
        // so nothing is submitted; the step's own check before any call stays as the last line.
        var instanceTypes = step.Definition.Parameters.Where(p => p.Type == ParameterType.InstanceType && values.ContainsKey(p.Name)).ToList();
        if (instanceTypes.Count > 0)
        {
            var allowed = (await guardrails.ForLearnerAsync(view.Run.UserId, cancellationToken)).AllowedInstanceTypes;
            foreach (var parameter in instanceTypes.Where(p => !allowed.Contains(values[p.Name], StringComparer.Ordinal)))
            {
                var list = allowed.Count == 0 ? "-" : string.Join(", ", allowed);
                errors[parameter.Name] = L.T(
                    $"Your class allows only these instance types: {list}. Choose one of them.",
                    $"수업에서 허용한 인스턴스 유형은 {list}뿐입니다. 이 중에서 고르세요.");
            }
        }

        if (errors.Count > 0)
        {
            return FormResult.Invalid<IReadOnlyDictionary<string, string>>(errors);
        }

        var all = RunView.ReadJson(view.Run.ValuesJson);
        foreach (var (key, value) in values)
        {
            all[key] = value;
        }

        view.Run.ValuesJson = JsonSerializer.Serialize(all);
        view.Run.LastActivityAtUtc = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        return FormResult.Ok<IReadOnlyDictionary<string, string>>(values);
    }

    /// <summary>
    /// The "Keep" choice of a finish step: the run ends with its resources left in the cloud
    /// (status <see cref="LabRunStatus.Kept"/>), the step is recorded as done, and the choice is
    /// audited. Auto-cleanup tears a kept run down after its grace period; the learner can still
    /// choose "Tear down" sooner. Keeping an already kept run changes nothing.
    /// </summary>
    public async Task<FormResult<DateTime>> KeepResourcesAsync(RunView view, string stepId, CancellationToken cancellationToken = default)
    {
        if (view.Step(stepId) is not { Definition.Kind: StepKind.Finish } step)
        {
            return FormResult.Invalid<DateTime>(new() { [""] = L.T("Only the last step can keep the lab's resources.", "리소스 남겨 두기는 마지막 단계에서만 할 수 있습니다.") });
        }

        if (view.Run.Status == LabRunStatus.Kept)
        {
            return FormResult.Ok(KeptUntil(view.Run));
        }

        if (!step.Unlocked)
        {
            return FormResult.Invalid<DateTime>(new() { [""] = L.T("Finish the earlier steps first.", "앞 단계를 먼저 마치세요.") });
        }

        if (step.InProgress)
        {
            return FormResult.Invalid<DateTime>(new() { [""] = L.T("The teardown is already running; the resources cannot be kept now.", "정리 작업이 이미 실행 중이라 이제 리소스를 남겨 둘 수 없습니다.") });
        }

        if (view.Run.Status != LabRunStatus.Active)
        {
            return FormResult.Invalid<DateTime>(new() { [""] = L.T("This lab run has been torn down; there is nothing left to keep.", "이 실습 실행은 정리되어 남겨 둘 리소스가 없습니다.") });
        }

        var now = time.GetUtcNow().UtcDateTime;
        view.Run.Status = LabRunStatus.Kept;
        view.Run.FinishedAtUtc = now;
        view.Run.CleanupWarnedAtUtc = null;
        var resources = await db.Ledger.CountAsync(e => e.LabRunId == view.Run.Id && e.State != LedgerState.Deleted, cancellationToken);
        var limits = await cleanup.LimitsForAsync(view.Run.UserId, cancellationToken);
        db.StepRuns.Add(new StepRun
        {
            LabRunId = view.Run.Id,
            StepId = stepId,
            Status = StepRunStatus.Succeeded,
            Attempts = 1,
            InputJson = JsonSerializer.Serialize(new Dictionary<string, string> { ["choice"] = "keep" }),
            CreatedAtUtc = now,
            StartedAtUtc = now,
            FinishedAtUtc = now,
        });
        view.Run.LastActivityAtUtc = now;

        // The audit entry and the run's new state are saved together.
        await audit.WriteAsync(new AuditRecord(AuditActions.KeepResources, AuditLog.Succeeded, $"The learner kept {resources} resource(s) of lab {view.Run.LabId}; auto-cleanup after {KeptUntil(view.Run):u}.")
        {
            ActorUserId = view.Run.UserId,
            ClassroomId = limits.ClassroomId,
            SubjectUserId = view.Run.UserId,
            LabRunId = view.Run.Id,
        }, cancellationToken);
        return FormResult.Ok(KeptUntil(view.Run));
    }

    /// <summary>When auto-cleanup tears a kept run down (the end of its grace period).</summary>
    public DateTime KeptUntil(LabRun run) => (run.FinishedAtUtc ?? run.LastActivityAtUtc) + cleanupClock.Options.Scaled(cleanupClock.Options.FinishedGracePeriod);

    /// <summary>What a step that needs a data plane says on a cloud without one.</summary>
    public static string NotAvailableText => L.T(
        "This step needs a cloud with real web servers and health checks: the portal's sandbox or real AWS. This cloud is an API emulator, so the step is skipped here and the next steps stay open.",
        "이 단계에는 실제 웹 서버와 상태 검사가 있는 클라우드(포털의 샌드박스나 실제 AWS)가 필요합니다. 지금 클라우드는 API만 흉내 내는 에뮬레이터라 여기서는 이 단계를 건너뛰며, 다음 단계는 그대로 진행할 수 있습니다.");

    private static bool IsRuntimeChoice(IReadOnlyDictionary<string, IReadOnlyList<ParameterChoice>?>? runtimeChoices, ParameterDefinition parameter, string value, out string message)
    {
        var choices = runtimeChoices is not null && runtimeChoices.TryGetValue(parameter.Name, out var listed) ? listed : null;
        if (choices is null)
        {
            message = L.T("The portal could not read the choices from your cloud just now. Reload the page and try again.", "지금 클라우드에서 선택지를 읽지 못했습니다. 페이지를 새로 고친 뒤 다시 시도하세요.");
            return false;
        }

        message = choices.Count == 0
            ? L.T("There is nothing to choose from right now (for example, no InService instance in the group). Wait a moment and reload.", "지금은 고를 수 있는 것이 없습니다(예: 그룹에 InService 인스턴스가 없음). 잠시 기다린 뒤 새로 고치세요.")
            : L.T("Choose one of the listed values: the list shows what is in your cloud right now.", "목록에 있는 값 중 하나를 고르세요. 목록은 지금 클라우드에 있는 것을 보여 줍니다.");
        return choices.Any(c => c.Value == value);
    }

    private async Task RecordAsync(LabRun run, string stepId, StepRunStatus status, string inputJson, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        db.StepRuns.Add(new StepRun
        {
            LabRunId = run.Id,
            StepId = stepId,
            Status = status,
            Attempts = 1,
            InputJson = inputJson,
            CreatedAtUtc = now,
            StartedAtUtc = now,
            FinishedAtUtc = now,
        });
        run.LastActivityAtUtc = now;
        await db.SaveChangesAsync(cancellationToken);
    }

    private static RunView View(LabRun run, LabDefinition lab, bool hasDataPlane)
    {
        var states = new List<StepState>();
        var previousDone = true;
        for (var i = 0; i < lab.Steps.Count; i++)
        {
            var step = lab.Steps[i];
            var latest = run.Steps.Where(s => s.StepId == step.Id).MaxBy(s => s.Id);
            // A step once passed stays done (and keeps later steps open) even if a later attempt fails.
            var done = run.Steps.Any(s => s.StepId == step.Id && s.Status == StepRunStatus.Succeeded);
            // A step this cloud cannot run (no data plane) is not done, but does not hold the later steps back.
            var notAvailable = step.RequiresDataPlane && !hasDataPlane && !done;
            states.Add(new StepState(step, i + 1, latest, previousDone, done) { NotAvailableHere = notAvailable });
            previousDone = previousDone && (done || notAvailable);
        }

        return new RunView(run, lab, states);
    }
}
