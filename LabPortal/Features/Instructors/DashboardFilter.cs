namespace LabPortal.Features.Instructors;

/// <summary>
/// What the instructor narrowed the dashboard to: one lab (null: every lab), one kind of progress
/// (null: any), and learners idle for more than some minutes (null: any).
/// </summary>
public sealed record DashboardFilter(string? LabId = null, LearnerProgress? Progress = null, int? IdleMinutes = null)
{
    public static readonly DashboardFilter None = new();

    public bool IsEmpty => LabId is null && Progress is null && IdleMinutes is null;

    public IEnumerable<LabMatrix> Labs(ClassDashboard dashboard) =>
        dashboard.Matrices.Where(m => LabId is null || m.Lab.Id == LabId);

    /// <summary>The lab's rows that pass the progress and idle filters, in the learners' order.</summary>
    public IReadOnlyList<MatrixRow> Rows(LabMatrix matrix, DateTime nowUtc) =>
        [.. matrix.Rows.Where(row =>
            (Progress is null || row.Progress == Progress)
            && (IdleMinutes is not { } minutes || row.IdleFor(nowUtc) is { } idle && idle > TimeSpan.FromMinutes(minutes)))];
}
