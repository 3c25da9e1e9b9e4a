namespace LabPortal.Features.Instructors;

/// <summary>
/// What an open dashboard shows for its instructor, and the two ways it is brought up to date: the whole
/// class (<see cref="LoadAsync"/>) or only the learners some runs belong to (<see cref="UpdateRunsAsync"/>).
/// </summary>
public sealed class DashboardData(InstructorDesk desk, TimeProvider time, int userId, int classId)
{
    private HashSet<int> _knownRuns = [];

    public ClassAccess Access { get; private set; } = ClassAccess.NotFound;

    public ClassDashboard? Dashboard { get; private set; }

    public IReadOnlyList<LearnerBudget> OverBudget { get; private set; } = [];

    /// <summary>Learner names by user id (the reset panel and the audit lines name learners by id).</summary>
    public IReadOnlyDictionary<int, string> Names { get; private set; } = new Dictionary<int, string>();

    public DateTime NowUtc { get; private set; }

    public async Task LoadAsync()
    {
        (Access, Dashboard) = await desk.DashboardAsync(userId, classId);
        OverBudget = Dashboard is null ? [] : await desk.OverBudgetAsync(userId, classId);
        NowUtc = time.GetUtcNow().UtcDateTime;
        if (Dashboard is not null)
        {
            Names = Dashboard.Learners.ToDictionary(l => l.UserId, l => l.DisplayName);
            _knownRuns = [.. Dashboard.Runs.Select(r => r.RunId)];
        }
    }

    /// <summary>Whether a changed run is one of this class's (a run the page does not list yet may be a new one of its students).</summary>
    public async Task<bool> ConcernsAsync(int runId) => _knownRuns.Contains(runId) || await desk.IsRunOfClassAsync(runId, classId);

    /// <summary>Replaces the rows, cells and runs of the learners these runs belong to.</summary>
    public async Task UpdateRunsAsync(IReadOnlyCollection<int> runIds)
    {
        if (Dashboard is null)
        {
            return;
        }

        var updates = await desk.LearnerUpdatesAsync(userId, classId, runIds);
        Dashboard = Dashboard.With(updates);
        _knownRuns.UnionWith(updates.SelectMany(u => u.Runs).Select(r => r.RunId));
    }

    /// <summary>The clock moved on (idle times, the reset outcome's disappearance).</summary>
    public void Tick() => NowUtc = time.GetUtcNow().UtcDateTime;
}
