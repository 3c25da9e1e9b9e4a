using LabPortal.Features.Instructors;
using LabPortal.Infrastructure.Data;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.Portal.Instructors;

/// <summary>
/// The open dashboard redraws only the learner whose run changed (<see cref="ClassDashboard.With"/>): what it
/// shows after that must be what a whole reload of the class shows.
/// </summary>
public sealed class DashboardLearnerUpdateTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private PortalFactory _factory = null!;
    private ClassSetup _class = null!;

    public async Task InitializeAsync()
    {
        _factory = new PortalFactory(_data.Path);
        _class = await ClassSetup.CreateAsync(_factory, "PATCH1", "Minji", "Jisoo", "Hana");
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task A_step_finishing_in_one_run_redraws_its_learner_as_a_whole_reload_does()
    {
        var started = DateTime.UtcNow.AddMinutes(-10);
        var minji = await _class.AddRunAsync("Minji", "fixture-lab", started, ("welcome", StepRunStatus.Succeeded), ("concepts", StepRunStatus.Running));
        await _class.AddRunAsync("Jisoo", "fixture-lab", started.AddMinutes(1), ("welcome", StepRunStatus.Failed));
        var before = await DashboardAsync();

        await _class.ChangeAsync(async db =>
        {
            var step = await db.StepRuns.SingleAsync(s => s.LabRunId == minji && s.StepId == "concepts");
            step.Status = StepRunStatus.Succeeded;
            step.FinishedAtUtc = DateTime.UtcNow;
            (await db.LabRuns.SingleAsync(r => r.Id == minji)).LastActivityAtUtc = DateTime.UtcNow;
        });
        var patched = before.With(await UpdatesAsync(minji));

        Assert.NotEqual(Describe(before), Describe(patched));
        Assert.Equal(Describe(await DashboardAsync()), Describe(patched));
    }

    [Fact]
    public async Task A_new_run_and_a_torn_down_one_move_the_learner_between_started_and_not_started()
    {
        var started = DateTime.UtcNow.AddMinutes(-10);
        var jisoo = await _class.AddRunAsync("Jisoo", "fixture-lab", started, ("welcome", StepRunStatus.Succeeded));
        var before = await DashboardAsync();

        var hana = await _class.AddRunAsync("Hana", "fixture-lab", started.AddMinutes(2), ("welcome", StepRunStatus.Pending));
        await _class.ChangeAsync(async db => (await db.LabRuns.SingleAsync(r => r.Id == jisoo)).Status = LabRunStatus.TornDown);
        var patched = before.With(await UpdatesAsync(hana, jisoo));

        Assert.Contains("Hana", Describe(before).Split('\n').Single(l => l.StartsWith("not started", StringComparison.Ordinal)));
        Assert.Equal(Describe(await DashboardAsync()), Describe(patched));
    }

    [Fact]
    public async Task A_run_of_someone_outside_the_class_changes_nothing()
    {
        var other = await ClassSetup.CreateInDatabaseAsync(_factory, "OTHER1", "Yuna");
        var outsider = await other.AddRunAsync("Yuna", "fixture-lab", DateTime.UtcNow, ("welcome", StepRunStatus.Succeeded));
        var before = await DashboardAsync();

        var updates = await UpdatesAsync(outsider);

        Assert.Empty(updates);
        Assert.Same(before, before.With(updates));
    }

    private async Task<ClassDashboard> DashboardAsync()
    {
        using var scope = _factory.Services.CreateScope();
        return (await scope.ServiceProvider.GetRequiredService<InstructorService>().GetDashboardAsync(_class.ClassId))!;
    }

    private async Task<IReadOnlyList<LearnerUpdate>> UpdatesAsync(params int[] runIds)
    {
        using var scope = _factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<InstructorService>().GetLearnerUpdatesAsync(_class.ClassId, runIds);
    }

    /// <summary>What the page draws from the learners, the matrices and the runs, one line each (timers left out: they follow the clock).</summary>
    private static string Describe(ClassDashboard dashboard) => string.Join('\n', [
        .. dashboard.Learners.Select(l => $"learner {l.UserId} {l.DisplayName} runs={l.RunCount} live={l.LiveResources} liveRuns=[{string.Join(',', l.LiveRunIds)}] kinds=[{string.Join(',', l.LiveKinds.Select(k => $"{k.Key}:{k.Value}"))}]"),
        .. dashboard.Matrices.SelectMany(m => m.Rows.Select(r => $"row {m.Lab.Id} {r.UserId} {r.DisplayName} run={r.RunId} {r.RunStatus} [{string.Join(',', r.Cells)}] {r.LastActivityAtUtc:O} {r.Progress}")
            .Append($"not started {m.Lab.Id}: {string.Join(',', m.NotStarted)}")),
        .. dashboard.Runs.Select(r => $"run {r.RunId} {r.UserId} {r.LabId} {r.Status} {r.DoneSteps}/{r.TotalSteps} live={r.LiveResources} {r.StartedAtUtc:O} {r.LastActivityAtUtc:O}"),
    ]);
}
