using Bunit;
using LabPortal.Features.LabRuns;
using LabPortal.Infrastructure.Activity;
using LabPortal.Infrastructure.Data;

namespace LabPortal.Tests.Components;

public sealed class CleanupBannerTests : ComponentTestContext
{
    private static LabRun Run => new() { LabId = "alb-two-web-servers", NamePrefix = "lp000000", Status = LabRunStatus.Active };

    [Fact]
    public void CleanupBanner_counts_down_each_second_from_the_teardown_time()
    {
        var now = Clock.GetUtcNow().UtcDateTime;
        var timer = new CleanupTimer(now.AddMinutes(-1), CleanupCause.Idle, now.AddSeconds(65), Extended: false, now);

        var banner = Context.Render<CleanupBanner>(p => p.Add(b => b.Run, Run).Add(b => b.Timer, timer));

        Assert.Equal("1 min 05 s", banner.Find("#cleanup-countdown").TextContent);
        Assert.NotEmpty(banner.FindAll("#keep-working"));
        Clock.Advance(TimeSpan.FromSeconds(10));
        banner.WaitForAssertion(() => Assert.Equal("55 s", banner.Find("#cleanup-countdown").TextContent), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void CleanupBanner_shows_time_left_in_Korean_before_the_warning_and_no_keep_working_button()
    {
        System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo("ko");
        var now = Clock.GetUtcNow().UtcDateTime;
        var timer = new CleanupTimer(now.AddHours(1).AddMinutes(5), CleanupCause.Lifetime, null, Extended: false, now);

        var banner = Context.Render<CleanupBanner>(p => p.Add(b => b.Run, Run).Add(b => b.Timer, timer));

        Assert.Equal("1시간 05분", banner.Find("#lab-timer-left").TextContent);
        Assert.Empty(banner.FindAll("#keep-working"));
    }

    [Fact]
    public void CleanupBanner_confirms_the_extension_and_explains_a_refused_second_one_in_Korean()
    {
        System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo("ko");

        var extended = Context.Render<CleanupBanner>(p => p.Add(b => b.Run, Run).Add(b => b.KeepResult, KeepWorkingResult.Extended));
        var refused = Context.Render<CleanupBanner>(p => p.Add(b => b.Run, Run).Add(b => b.KeepResult, KeepWorkingResult.AlreadyExtended));

        Assert.Contains("연장했습니다", extended.Find("#keep-working-done").TextContent, StringComparison.Ordinal);
        Assert.Contains("이미 한 번 사용했습니다", refused.Find("#keep-working-refused").TextContent, StringComparison.Ordinal);
    }
}
