using System.Globalization;
using System.Text.Json;
using LabPortal.Features.Cleanup;
using LabPortal.Features.LabRuns;
using LabPortal.Features.Labs.Definitions;
using LabPortal.Infrastructure.Activity;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LabPortal.Features.Instructors;

/// <summary>
/// What a class's instructors see: the dashboard of the whole class and one learner's detail. Only the
/// class's own instructors get here (<see cref="CheckAsync"/>); students never see each other.
/// </summary>
public sealed partial class InstructorService(PortalDbContext db, LabCatalog catalog, IOptions<CloudOptions> cloud, LiveStateReader live, CleanupService cleanup, CleanupClock clock, ResetProgress resets, TimeProvider time)
{
    public bool OnSandbox => cloud.Value.Mode == CloudMode.Sandbox;

    public async Task<ClassAccess> CheckAsync(int classId, int userId, CancellationToken cancellationToken = default)
    {
        var found = await db.Classrooms
            .Where(c => c.Id == classId)
            .Select(c => new { IsInstructor = c.Memberships.Any(m => m.UserId == userId && m.Role == UserRole.Instructor) })
            .SingleOrDefaultAsync(cancellationToken);
        return found is null ? ClassAccess.NotFound : found.IsInstructor ? ClassAccess.Allowed : ClassAccess.Forbidden;
    }

    /// <summary>The class now; null when it does not exist. The caller checks access first.</summary>
    public async Task<ClassDashboard?> GetDashboardAsync(int classId, CancellationToken cancellationToken = default)
    {
        var classroom = await db.Classrooms.AsNoTracking().SingleOrDefaultAsync(c => c.Id == classId, cancellationToken);
        if (classroom is null)
        {
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var students = await StudentsAsync(classId, cancellationToken);
        var ids = students.Select(s => s.UserId).ToList();
        var updates = await LearnersAsync(students, now, cancellationToken);
        var matrices = catalog.Labs
            .Select(lab => new LabMatrix(
                lab,
                [.. updates.Where(u => u.LatestByLab.ContainsKey(lab.Id)).Select(u => u.LatestByLab[lab.Id])],
                [.. updates.Where(u => !u.LatestByLab.ContainsKey(lab.Id)).Select(u => u.Learner.DisplayName)]))
            .ToList();
        var runRows = updates.SelectMany(u => u.Runs).OrderByDescending(r => r.StartedAtUtc).ThenByDescending(r => r.RunId).ToList();
        var learners = updates.Select(u => u.Learner).ToList();
        // Resets, auto-cleanup and sweeps of this class or of its learners (auto-cleanup acts on a learner's run, not on a class).
        var audit = await db.Audit.AsNoTracking()
            .Where(a => a.ClassroomId == classId || (a.ClassroomId == null && a.SubjectUserId != null && ids.Contains(a.SubjectUserId.Value)))
            .OrderByDescending(a => a.AtUtc).ThenByDescending(a => a.Id)
            .Take(RecentAuditShown)
            .ToListAsync(cancellationToken);
        return new ClassDashboard(classroom.Id, classroom.Name, classroom.IdleLimitMinutes, classroom.MaxLifetimeMinutes, now, OnSandbox, learners, matrices, runRows, await WithActorsAsync(audit, cancellationToken))
        {
            Reset = await resets.ForClassAsync(classId, cancellationToken: cancellationToken),
        };
    }

    /// <summary>
    /// The dashboard's parts for the learners who own <paramref name="runIds"/> (their row, their latest run of
    /// each lab, their runs), so a change to one run does not reload the whole class; runs of anyone who is not
    /// one of the class's students are left out. The caller checks access first.
    /// </summary>
    public async Task<IReadOnlyList<LearnerUpdate>> GetLearnerUpdatesAsync(int classId, IReadOnlyCollection<int> runIds, CancellationToken cancellationToken = default)
    {
        var owners = db.LabRuns.Where(r => runIds.Contains(r.Id)).Select(r => r.UserId);
        var rows = await db.ClassMemberships.AsNoTracking()
            .Where(m => m.ClassroomId == classId && m.Role == UserRole.Student && owners.Contains(m.UserId))
            .OrderBy(m => m.User.DisplayName)
            .Select(m => new { m.UserId, m.User.DisplayName })
            .ToListAsync(cancellationToken);
        return rows.Count == 0 ? [] : await LearnersAsync([.. rows.Select(r => (r.UserId, r.DisplayName))], time.GetUtcNow().UtcDateTime, cancellationToken);
    }

    private async Task<List<LearnerUpdate>> LearnersAsync(List<(int UserId, string DisplayName)> students, DateTime now, CancellationToken cancellationToken)
    {
        var ids = students.Select(s => s.UserId).ToList();
        var runs = await db.LabRuns.AsNoTracking()
            .Where(r => ids.Contains(r.UserId))
            .Include(r => r.Steps)
            .Include(r => r.Ledger)
            .AsSplitQuery()
            .ToListAsync(cancellationToken);
        var limits = await cleanup.LimitsForAsync(ids, cancellationToken);
        return [.. students.Select(s => Learner(s.UserId, s.DisplayName, [.. runs.Where(r => r.UserId == s.UserId)], limits[s.UserId], now))];
    }

    private LearnerUpdate Learner(int userId, string displayName, List<LabRun> runs, ClassLimits limits, DateTime now)
    {
        var latest = new Dictionary<string, MatrixRow>(StringComparer.Ordinal);
        foreach (var lab in catalog.Labs)
        {
            if (runs.Where(r => r.LabId == lab.Id).MaxBy(r => r.Id) is { } run)
            {
                latest[lab.Id] = new MatrixRow(userId, displayName, run.Id, run.Status, [.. lab.Steps.Select(step => CellState(run, step.Id))], run.LastActivityAtUtc, Estimate(run, lab, now));
            }
        }

        var row = new LearnerRow(userId, displayName, runs.Count, runs.Sum(LiveResources))
        {
            LiveRunIds = [.. runs.Where(r => r.Status != LabRunStatus.TornDown).Select(r => r.Id).Order()],
            LiveKinds = runs.SelectMany(r => r.Ledger).Where(e => e.State != LedgerState.Deleted)
                .GroupBy(e => e.Kind.ToString()).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
        };
        return new LearnerUpdate(row, latest, [.. runs.Select(r => RunRow(r, displayName, limits, now))]);
    }

    /// <summary>Most audit entries one page shows (newest first).</summary>
    public const int AuditShown = 200;

    /// <summary>Audit entries the dashboard lists (newest first); the learner pages have the rest.</summary>
    public const int RecentAuditShown = 20;

    /// <summary>
    /// One learner of the class, with each run's ledger compared with the cloud; null when the class
    /// does not exist or the user is not one of its students. The caller checks access first.
    /// </summary>
    public async Task<LearnerDetail?> GetLearnerAsync(int classId, int userId, CancellationToken cancellationToken = default)
    {
        var classroom = await db.Classrooms.AsNoTracking().SingleOrDefaultAsync(c => c.Id == classId, cancellationToken);
        var learner = await db.ClassMemberships.AsNoTracking()
            .Where(m => m.ClassroomId == classId && m.UserId == userId && m.Role == UserRole.Student)
            .Select(m => new { m.UserId, m.User.DisplayName })
            .SingleOrDefaultAsync(cancellationToken);
        if (classroom is null || learner is null)
        {
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var runs = await db.LabRuns.AsNoTracking()
            .Where(r => r.UserId == userId)
            .Include(r => r.Steps)
            .Include(r => r.Ledger)
            .AsSplitQuery()
            .OrderByDescending(r => r.StartedAtUtc).ThenByDescending(r => r.Id)
            .ToListAsync(cancellationToken);

        var limits = await cleanup.LimitsForAsync(userId, cancellationToken);
        var details = new List<LearnerRun>();
        foreach (var run in runs)
        {
            var lab = catalog.Find(run.LabId);
            var ledger = run.Ledger.OrderBy(e => e.Id).ToList();
            var (comparisons, problem) = await live.CompareAsync(run, ledger, cancellationToken);
            details.Add(new LearnerRun(run, lab, Timer(run, limits), Estimate(run, lab, now), comparisons, problem, [.. run.Steps.OrderBy(s => s.Id)]));
        }

        var runIds = runs.Select(r => r.Id).ToList();
        var audit = await db.Audit.AsNoTracking()
            .Where(a => (a.SubjectUserId == userId && (a.ClassroomId == null || a.ClassroomId == classId))
                || (a.LabRunId != null && runIds.Contains(a.LabRunId.Value))
                || (a.ClassroomId == classId && a.SubjectUserId == null && a.LabRunId == null))
            .OrderByDescending(a => a.AtUtc).ThenByDescending(a => a.Id)
            .Take(AuditShown)
            .ToListAsync(cancellationToken);
        return new LearnerDetail(classId, classroom.Name, learner.UserId, learner.DisplayName, now, OnSandbox, details, await WithActorsAsync(audit, cancellationToken));
    }

    /// <summary>
    /// A step's state in a run: done once any attempt succeeded (as the learner's own pages count it),
    /// otherwise its latest attempt's status, or not started.
    /// </summary>
    public static StepCellState CellState(LabRun run, string stepId)
    {
        var attempts = run.Steps.Where(s => s.StepId == stepId).ToList();
        if (attempts.Count == 0)
        {
            return StepCellState.NotStarted;
        }

        if (attempts.Any(s => s.Status == StepRunStatus.Succeeded))
        {
            return StepCellState.Succeeded;
        }

        return attempts.MaxBy(s => s.Id)!.Status switch
        {
            StepRunStatus.Pending => StepCellState.Pending,
            StepRunStatus.Running => StepCellState.Running,
            StepRunStatus.Failed => StepCellState.Failed,
            _ => StepCellState.Succeeded,
        };
    }

    public static int LiveResources(LabRun run) => run.Ledger.Count(e => e.State != LedgerState.Deleted);

    /// <summary>The run's cost on AWS from its ledger; null when the portal has no prices for its region.</summary>
    public CostEstimate? Estimate(LabRun run, LabDefinition? lab, DateTime nowUtc)
    {
        var region = lab?.Region ?? run.Ledger.FirstOrDefault()?.Region;
        if (region is null || PriceTable.For(region) is not { } prices)
        {
            return null;
        }

        var values = ReadJsonSafely(run.ValuesJson);
        var instanceType = values.GetValueOrDefault("instanceType")
            ?? lab?.Steps.SelectMany(s => s.Parameters).FirstOrDefault(p => p.Name == "instanceType")?.Default
            ?? "";
        return CostEstimator.Estimate(run.Ledger, instanceType, CapacityChanges(run), nowUtc, prices);
    }

    /// <summary>Every succeeded step that set a desired capacity (Lab 2's scale step), from the values it was run with.</summary>
    public static IReadOnlyList<CapacityChange> CapacityChanges(LabRun run) =>
        [.. run.Steps
            .Where(s => s.Status == StepRunStatus.Succeeded && s.FinishedAtUtc is not null)
            .Select(s => (s.FinishedAtUtc, Value: ReadJsonSafely(s.InputJson).GetValueOrDefault("desiredCapacity")))
            .Where(s => int.TryParse(s.Value, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .Select(s => new CapacityChange(s.FinishedAtUtc!.Value, int.Parse(s.Value!, NumberStyles.None, CultureInfo.InvariantCulture)))];

    /// <summary>The same lab timer the learner sees (limits of the strictest class, "keep working", the countdown); null unless active.</summary>
    private CleanupTimer? Timer(LabRun run, ClassLimits limits) => run.Status == LabRunStatus.Active ? clock.TimerFor(run, limits) : null;

    private RunRow RunRow(LabRun run, string displayName, ClassLimits limits, DateTime now)
    {
        var lab = catalog.Find(run.LabId);
        var done = lab is null ? 0 : lab.Steps.Count(step => CellState(run, step.Id) == StepCellState.Succeeded);
        return new RunRow(
            run.Id,
            run.UserId,
            displayName,
            run.LabId,
            lab,
            run.Status,
            run.TeardownReason?.StoredName(),
            done,
            lab?.Steps.Count ?? 0,
            Timer(run, limits),
            LiveResources(run),
            run.StartedAtUtc,
            run.LastActivityAtUtc,
            Estimate(run, lab, now));
    }

    private async Task<IReadOnlyList<AuditLine>> WithActorsAsync(List<AuditEntry> audit, CancellationToken cancellationToken)
    {
        var actorIds = audit.Where(a => a.ActorUserId is not null).Select(a => a.ActorUserId!.Value).Distinct().ToList();
        var actors = await db.Users.AsNoTracking().Where(u => actorIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        return [.. audit.Select(a => new AuditLine(a, a.ActorUserId is { } actor ? actors.GetValueOrDefault(actor, "#" + actor.ToString(CultureInfo.InvariantCulture)) : null))];
    }

    private async Task<List<(int UserId, string DisplayName)>> StudentsAsync(int classId, CancellationToken cancellationToken)
    {
        var rows = await db.ClassMemberships.AsNoTracking()
            .Where(m => m.ClassroomId == classId && m.Role == UserRole.Student)
            .OrderBy(m => m.User.DisplayName)
            .Select(m => new { m.UserId, m.User.DisplayName })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => (r.UserId, r.DisplayName))];
    }

    private static Dictionary<string, string> ReadJsonSafely(string json)
    {
        try
        {
            return RunView.ReadJson(json);
        }
        catch (JsonException)
        {
            // Quiz answers or an older shape: nothing the estimate needs.
            return [];
        }
    }
}
