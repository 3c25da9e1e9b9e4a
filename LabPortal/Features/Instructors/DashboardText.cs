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

    /// <summary>Bootstrap badge and icon per state; the word beside it carries the meaning, never the colour alone.</summary>
    public static (string Badge, string Icon) Look(StepCellState state) => state switch
    {
        StepCellState.Succeeded => ("text-bg-success", "bi-check-lg"),
        StepCellState.Failed => ("text-bg-danger", "bi-x-lg"),
        StepCellState.Running => ("text-bg-info", "bi-hourglass-split"),
        StepCellState.Pending => ("text-bg-warning", "bi-clock"),
        _ => ("text-bg-light border", "bi-dash"),
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
