using System.Globalization;
using LabPortal.Infrastructure.Activity;
using LabPortal.Infrastructure.Data;
using LabPortal.Infrastructure.Localization;

namespace LabPortal.Features.Instructors;

/// <summary>Words, durations and prices as the instructor pages print them, in the request's language.</summary>
public static class DashboardText
{
    public static string State(StepCellState state) => state switch
    {
        StepCellState.NotStarted => L.T("not started", "시작 전"),
        StepCellState.Pending => L.T("pending", "대기 중"),
        StepCellState.Running => L.T("running", "실행 중"),
        StepCellState.Succeeded => L.T("succeeded", "성공"),
        StepCellState.Failed => L.T("failed", "실패"),
        _ => state.ToString(),
    };

    /// <summary>
    /// A cell of the progress grid: the word, a colour and an icon (the word carries the meaning, never
    /// the colour alone) and a stable name for tests and styles. A torn-down run's steps say so: their
    /// resources are gone, whatever the steps once did. A wrong quiz answer is an answer, not a failure.
    /// </summary>
    public static (string Word, MudBlazor.Color Color, string Icon, string Name) Cell(StepCellState state, LabRunStatus run, bool quiz) => (run, state) switch
    {
        (LabRunStatus.TornDown, _) => (L.T("torn down", "정리됨"), MudBlazor.Color.Default, MudBlazor.Icons.Material.Filled.DeleteSweep, "TornDown"),
        (LabRunStatus.TearingDown, _) => (L.T("tearing down", "정리 중"), MudBlazor.Color.Warning, MudBlazor.Icons.Material.Filled.HourglassTop, "TearingDown"),
        (_, StepCellState.Succeeded) => (State(state), MudBlazor.Color.Success, MudBlazor.Icons.Material.Filled.Check, "Succeeded"),
        (_, StepCellState.Failed) => (quiz ? L.T("answered wrong", "오답") : State(state), quiz ? MudBlazor.Color.Warning : MudBlazor.Color.Error, quiz ? MudBlazor.Icons.Material.Filled.Replay : MudBlazor.Icons.Material.Filled.Close, "Failed"),
        (_, StepCellState.Running) => (State(state), MudBlazor.Color.Info, MudBlazor.Icons.Material.Filled.Autorenew, "Running"),
        (_, StepCellState.Pending) => (State(state), MudBlazor.Color.Info, MudBlazor.Icons.Material.Filled.Schedule, "Pending"),
        _ => (State(state), MudBlazor.Color.Default, MudBlazor.Icons.Material.Filled.Remove, "NotStarted"),
    };

    /// <summary>
    /// A small MudChip's look as plain classes: the grid draws hundreds of them and redraws them on every
    /// change in the class, and a MudChip component with its icon costs a component each on the server.
    /// </summary>
    public static string ChipClass(MudBlazor.Color color, bool outlined) =>
        $"mud-chip mud-chip-{(outlined ? "outlined" : "filled")} mud-chip-size-small mud-chip-color-{color.ToString().ToLowerInvariant()}";

    public static string Progress(LearnerProgress progress) => progress switch
    {
        LearnerProgress.Working => L.T("working", "진행 중"),
        LearnerProgress.Waiting => L.T("waiting for a step's job", "단계 작업 대기 중"),
        LearnerProgress.Failing => L.T("stuck on a failed step", "실패한 단계에서 멈춤"),
        LearnerProgress.Finished => L.T("finished", "완료"),
        _ => L.T("torn down", "정리됨"),
    };

    public static MudBlazor.Color ProgressColor(LearnerProgress progress) => progress switch
    {
        LearnerProgress.Failing => MudBlazor.Color.Error,
        LearnerProgress.Waiting => MudBlazor.Color.Info,
        LearnerProgress.Finished => MudBlazor.Color.Success,
        LearnerProgress.TornDown => MudBlazor.Color.Default,
        _ => MudBlazor.Color.Primary,
    };

    public static string RunStatus(LabRunStatus status) => status switch
    {
        LabRunStatus.Active => L.T("active", "진행 중"),
        LabRunStatus.TearingDown => L.T("tearing down", "정리 중"),
        LabRunStatus.TornDown => L.T("torn down", "정리 완료"),
        LabRunStatus.Kept => L.T("finished, resources kept", "완료, 리소스 유지"),
        _ => status.ToString(),
    };

    public static string Cause(CleanupCause cause) => cause switch
    {
        CleanupCause.Idle => L.T("idle limit", "유휴 한도"),
        _ => L.T("maximum lifetime", "최대 수명"),
    };

    /// <summary>"1 h 05 min" / "1시간 5분"; under a minute is "less than a minute".</summary>
    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.FromMinutes(1))
        {
            return L.T("less than a minute", "1분 미만");
        }

        var hours = (int)span.TotalHours;
        var minutes = span.Minutes;
        return hours > 0
            ? L.T($"{hours} h {minutes:00} min", $"{hours}시간 {minutes}분")
            : L.T($"{minutes} min", $"{minutes}분");
    }

    public static string Ago(DateTime atUtc, DateTime nowUtc) =>
        nowUtc - atUtc < TimeSpan.FromMinutes(1)
            ? L.T("just now", "방금")
            : L.T($"{Duration(nowUtc - atUtc)} ago", $"{Duration(nowUtc - atUtc)} 전");

    /// <summary>Dollars with cents, or four decimals under a dollar so a short lab does not read as free.</summary>
    public static string Usd(decimal amount) =>
        "$" + (amount < 1m ? amount.ToString("0.0000", CultureInfo.InvariantCulture) : amount.ToString("0.00", CultureInfo.InvariantCulture));

    public static string Utc(DateTime atUtc) => atUtc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";
}
