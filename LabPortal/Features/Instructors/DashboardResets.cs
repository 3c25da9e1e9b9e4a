using LabPortal.Components;
using LabPortal.Features.Cleanup;
using LabPortal.Infrastructure.Localization;
using MudBlazor;

namespace LabPortal.Features.Instructors;

/// <summary>
/// The dashboard's bulk actions: resetting one learner or the whole class. Each says exactly what will be deleted
/// (runs, resource kinds and counts from the ledger), asks for confirmation, resets through the
/// <see cref="InstructorDesk"/> (which checks the caller) and reports the outcome.
/// </summary>
public sealed class DashboardResets(InstructorDesk desk, IDialogService dialogs, ISnackbar snackbar)
{
    /// <summary>Asks, then tears down every live run of one learner; true when it asked the desk (the page reloads).</summary>
    public async Task<bool> ResetLearnerAsync(int userId, int classId, ClassDashboard dashboard, LearnerRow learner)
    {
        var what = learner.LiveRunIds.Count == 0
            ? L.T($"{learner.DisplayName} has no lab run left to tear down; the reset only records that you asked.", $"{learner.DisplayName} 님에게는 정리할 실습 실행이 없습니다. 초기화 요청만 기록됩니다.")
            : L.T($"This deletes everything {learner.DisplayName} built in the cloud: {learner.LiveRunIds.Count} run(s) ({Runs(dashboard, learner.LiveRunIds)}) with {Kinds(learner.LiveKinds)}. It cannot be undone.",
                  $"{learner.DisplayName} 님이 클라우드에 만든 모든 것이 삭제됩니다: 실행 {learner.LiveRunIds.Count}개({Runs(dashboard, learner.LiveRunIds)}), {Kinds(learner.LiveKinds)}. 되돌릴 수 없습니다.");
        if (!await ConfirmAsync(L.T($"Reset {learner.DisplayName}?", $"{learner.DisplayName} 님을 초기화할까요?"), what, L.T("Delete and reset", "삭제하고 초기화")))
        {
            return false;
        }

        var (result, runs) = await desk.ResetLearnerAsync(userId, classId, learner.UserId);
        Report(result, runs);
        return true;
    }

    /// <summary>Asks, then tears down every live run of the class's learners; true when it asked the desk (the page reloads).</summary>
    public async Task<bool> ResetClassAsync(int userId, int classId, ClassDashboard dashboard)
    {
        var learners = dashboard.Learners;
        var runIds = learners.SelectMany(l => l.LiveRunIds).ToList();
        var kinds = learners.SelectMany(l => l.LiveKinds).GroupBy(k => k.Key).ToDictionary(g => g.Key, g => g.Sum(k => k.Value));
        var what = runIds.Count == 0
            ? L.T("No learner has a lab run left to tear down; the reset only records that you asked.", "정리할 실습 실행이 있는 학생이 없습니다. 초기화 요청만 기록됩니다.")
            : L.T($"This deletes every learner's lab resources: {runIds.Count} run(s) of {learners.Count(l => l.LiveRunIds.Count > 0)} learner(s) ({Owners(learners)}) with {Kinds(kinds)}. It cannot be undone.",
                  $"모든 학생의 실습 리소스가 삭제됩니다: 학생 {learners.Count(l => l.LiveRunIds.Count > 0)}명({Owners(learners)})의 실행 {runIds.Count}개, {Kinds(kinds)}. 되돌릴 수 없습니다.");
        if (!await ConfirmAsync(L.T($"Reset the whole class {dashboard.Name}?", $"{dashboard.Name} 수업 전체를 초기화할까요?"), what, L.T("Delete and reset the class", "삭제하고 수업 초기화")))
        {
            return false;
        }

        var (result, runs) = await desk.ResetClassAsync(userId, classId);
        Report(result, runs);
        return true;
    }

    private void Report(ResetResult result, int runs)
    {
        switch (result)
        {
            case ResetResult.Started:
                snackbar.Add(runs == 0
                    ? L.T("Reset recorded: there was no lab run to tear down.", "초기화를 기록했습니다. 정리할 실습 실행이 없었습니다.")
                    : L.T($"Reset started: {runs} run(s) are being torn down. The progress is shown above.", $"초기화를 시작했습니다. 실행 {runs}개를 정리하고 있습니다. 진행 상황은 위에 표시됩니다."), Severity.Success);
                break;
            case ResetResult.Forbidden:
                snackbar.Add(L.T("Nothing was reset: you are not one of this class's instructors.", "초기화하지 않았습니다. 이 수업의 강사가 아닙니다."), Severity.Error);
                break;
            default:
                snackbar.Add(L.T("Nothing was reset: this learner is no longer in the class.", "초기화하지 않았습니다. 이 학생은 더 이상 수업에 없습니다."), Severity.Error);
                break;
        }
    }

    private Task<bool> ConfirmAsync(string title, string text, string confirm) => ConfirmDialog.AskAsync(dialogs, title, text, confirm, Color.Error);

    private static string Runs(ClassDashboard dashboard, IEnumerable<int> runIds) =>
        string.Join(", ", runIds.Select(id => dashboard.Runs.FirstOrDefault(r => r.RunId == id) is { } run ? $"{run.Lab?.Title.Text ?? run.LabId} #{id}" : $"#{id}"));

    private static string Owners(IEnumerable<LearnerRow> learners) =>
        string.Join(", ", learners.Where(l => l.LiveRunIds.Count > 0).Select(l => l.DisplayName));

    private static string Kinds(IReadOnlyDictionary<string, int> kinds) =>
        kinds.Count == 0
            ? L.T("no resource left in the ledger", "원장에 남은 리소스 없음")
            : L.T($"{kinds.Values.Sum()} resource(s): ", $"리소스 {kinds.Values.Sum()}개: ") + string.Join(", ", kinds.Select(k => $"{k.Key} × {k.Value}"));
}
