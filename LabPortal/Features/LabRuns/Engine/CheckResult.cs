using LabPortal.Infrastructure.Localization;

namespace LabPortal.Features.LabRuns.Engine;

/// <summary>One check's verdict in both languages. <see cref="NotApplicable"/> (e.g. no data plane on an emulator) does not block the step.</summary>
public sealed record CheckResult(string Check, CheckVerdict Verdict, string English, string Korean)
{
    public string Text => L.T(English, Korean);

    public static CheckResult Pass(string check, string english, string korean) => new(check, CheckVerdict.Passed, english, korean);

    public static CheckResult Fail(string check, string english, string korean) => new(check, CheckVerdict.Failed, english, korean);

    public static CheckResult NotApplicable(string check) => new(check, CheckVerdict.NotApplicable,
        "Skipped: this cloud has no data plane (an API emulator), so nothing answers HTTP.",
        "건너뜀: 이 클라우드는 API만 흉내 내는 에뮬레이터라 HTTP에 응답하는 서버가 없습니다.");
}

public enum CheckVerdict
{
    Passed,
    Failed,
    NotApplicable,
}
