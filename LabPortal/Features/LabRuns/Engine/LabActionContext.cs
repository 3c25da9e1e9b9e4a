using LabPortal.Features.LabRuns.Teardown;
using LabPortal.Features.Labs.Definitions;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace LabPortal.Features.LabRuns.Engine;

/// <summary>
/// What an action works with: the learner's values, the outputs of earlier steps, the cloud
/// clients, and the ledger (written before each create call, completed after it).
/// </summary>
public sealed class LabActionContext(
    PortalDbContext db,
    LabRun run,
    StepRun stepRun,
    LabDefinition lab,
    AwsClients cloud,
    bool hasDataPlane,
    TimeProvider time)
{
    private readonly Dictionary<string, string> _values = RunView.ReadJson(run.ValuesJson);
    private readonly RunOutputs _outputs = RunOutputs.Of(run);

    public LabRun Run => run;

    public StepRun StepRun => stepRun;

    public LabDefinition Lab => lab;

    public AwsClients Cloud => cloud;

    public string Region => lab.Region;

    /// <summary>False on an API-only emulator (moto): nothing answers HTTP there.</summary>
    public bool HasDataPlane => hasDataPlane;

    public TimeProvider Time => time;

    /// <summary>The browser address for a DNS name, or null when this cloud has no data plane.</summary>
    public Func<string, Uri?> DataPlaneUrl { get; init; } = _ => null;

    /// <summary>The instance profile launches attach (<c>Cloud:InstanceProfileName</c>), or null for none.</summary>
    public string? InstanceProfileName { get; init; }

    /// <summary>The run's database context (an action that reads or waits on more than the ledger: the finish step's teardown).</summary>
    public PortalDbContext Db => db;

    /// <summary>Asks for the run's teardown (the finish step hands its work to that use case); null outside a step job.</summary>
    public TeardownScheduler? Teardowns { get; init; }

    /// <summary>When a wait gives up and fails the step (<c>WaitTimedOut</c>); counted from the step's first start, across continuations.</summary>
    public DateTimeOffset WaitDeadline { get; init; } = time.GetUtcNow() + Actions.CloudSteps.StepWaitLimit;

    /// <summary>Until when this execution may wait inline; a wait still unfinished then becomes a continuation (<see cref="ContinueLaterException"/>).</summary>
    public DateTimeOffset InlineWaitUntil { get; init; } = time.GetUtcNow() + TimeSpan.FromSeconds(20);

    /// <summary>The learner's value for a parameter, else its default in lab.yaml.</summary>
    public string Value(string name) =>
        _values.TryGetValue(name, out var value) ? value
        : lab.Steps.SelectMany(s => s.Parameters).FirstOrDefault(p => p.Name == name)?.Default
        ?? throw new InvalidOperationException($"Lab {lab.Id} has no parameter '{name}'.");

    public int IntValue(string name) => int.Parse(Value(name), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>What earlier steps (and this one so far) recorded; change them with <see cref="SetOutputsAsync"/>.</summary>
    public RunOutputs Outputs => _outputs;

    /// <summary>An output an earlier step must have recorded; without it the step fails with what to do first.</summary>
    public string RequireOutput(Func<RunOutputs, string?> output, string stepTitleEnglish, string stepTitleKorean) =>
        output(_outputs) ?? throw new LabStepException("MissingEarlierStep",
            $"This step needs \"{stepTitleEnglish}\" to be done first.",
            $"이 단계는 \"{stepTitleKorean}\" 단계를 먼저 마쳐야 합니다.");

    /// <summary>Records values for later steps and for placeholders (<c>{outputs.name}</c>); saved at once.</summary>
    public async Task SetOutputsAsync(Action<RunOutputs> change, CancellationToken cancellationToken)
    {
        change(_outputs);
        _outputs.WriteTo(run);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The tags every resource of the run carries (ARCHITECTURE.md, "Real AWS").</summary>
    public IReadOnlyList<(string Key, string Value)> Tags(string name) =>
    [
        ("Name", name),
        ("lab-portal:run", run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("lab-portal:learner", run.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("lab-portal:lab", lab.Id),
    ];

    /// <summary>
    /// Writes the intent to create a resource before the create call. If the run already intended it
    /// (a retry after a crash), returns that entry so the action can look for the resource instead of
    /// creating a second one.
    /// </summary>
    public async Task<LedgerEntry> IntendAsync(ResourceKind kind, string name, CancellationToken cancellationToken)
    {
        var existing = await db.Ledger.SingleOrDefaultAsync(e => e.LabRunId == run.Id && e.Kind == kind && e.Name == name && e.State != LedgerState.Deleted, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        // Stable per run and resource: the same token on a retry makes RunInstances idempotent.
        var token = $"lp-{run.Id}-{kind}-{name}".ToLowerInvariant();
        var entry = new LedgerEntry
        {
            LabRunId = run.Id,
            StepRunId = stepRun.Id,
            Kind = kind,
            Name = name,
            ClientToken = token.Length <= 64 ? token : token[..64],
            Region = Region,
            State = LedgerState.Intended,
            CreatedAtUtc = time.GetUtcNow().UtcDateTime,
        };
        db.Ledger.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        return entry;
    }

    public async Task CompleteAsync(LedgerEntry entry, string resourceId, CancellationToken cancellationToken)
    {
        entry.ResourceId = resourceId;
        entry.State = LedgerState.Created;
        entry.CompletedAtUtc = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Removes an intent whose resource was never created by this run (nothing in the cloud is the run's to claim).</summary>
    public async Task DropIntentAsync(LedgerEntry entry, CancellationToken cancellationToken)
    {
        if (entry.State == LedgerState.Intended && entry.ResourceId is null)
        {
            db.Ledger.Remove(entry);
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    /// <summary>True when the tags include this run's <c>lab-portal:run</c> tag: the resource is the run's own.</summary>
    public bool IsRunTagged(IEnumerable<(string? Key, string? Value)> tags) =>
        tags.Any(t => t.Key == "lab-portal:run" && t.Value == run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>
    /// Refuses a write to a resource this run's ledger does not hold (issue 13, What to build 2): every
    /// rule, registration and change goes only to the run's own resources.
    /// </summary>
    public async Task RequireOwnedAsync(ResourceKind kind, string resourceId, CancellationToken cancellationToken)
    {
        if (!await db.Ledger.AnyAsync(e => e.LabRunId == run.Id && e.Kind == kind && e.ResourceId == resourceId && e.State == LedgerState.Created, cancellationToken))
        {
            throw new LabStepException("ResourceNotOwned",
                $"{kind} {resourceId} is not a resource of this lab run, so the lab does not change it.",
                $"{kind} {resourceId}은(는) 이 실습 실행의 리소스가 아니므로 실습이 바꾸지 않습니다.");
        }
    }

    public async Task MarkDeletedAsync(LedgerEntry entry, CancellationToken cancellationToken)
    {
        entry.State = LedgerState.Deleted;
        entry.DeletedAtUtc = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
    }

    public Task<List<LedgerEntry>> LiveLedgerAsync(CancellationToken cancellationToken) =>
        db.Ledger.Where(e => e.LabRunId == run.Id && e.State != LedgerState.Deleted).OrderBy(e => e.Id).ToListAsync(cancellationToken);

    /// <summary>Keeps an AWS request id for the step's history (shown to instructors).</summary>
    public void Trace(string? requestId)
    {
        if (requestId is { Length: > 0 } && (stepRun.RequestIds?.Length ?? 0) < 1900)
        {
            stepRun.RequestIds = string.IsNullOrEmpty(stepRun.RequestIds) ? requestId : stepRun.RequestIds + " " + requestId;
        }
    }
}
