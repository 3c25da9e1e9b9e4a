using Bunit;
using LabPortal.Features.LivePanel;

namespace LabPortal.Tests.Components;

public sealed class LivePanelViewTests : ComponentTestContext
{
    private static readonly DateTime At = new(2026, 12, 7, 3, 0, 0, DateTimeKind.Utc);

    private static PanelSnapshot Snapshot() => new(
        At,
        [
            new TargetRow("web-tg", "i-0aaa1111", "ap-northeast-2a", 80, "healthy", null, null, "web-01"),
            new TargetRow("web-tg", "i-0bbb2222", "ap-northeast-2c", 80, "unhealthy", "Target.Timeout", "Request timed out", "web-02"),
        ],
        [
            new RequestRow(At, 200, 3.2, "gosim web page 01"),
            new RequestRow(At.AddSeconds(-1), 502, 12.8, "-"),
        ],
        new Dictionary<string, int> { ["gosim web page 01"] = 5, ["gosim web page 02"] = 4 },
        "web-alb-123.ap-northeast-2.elb.localhost",
        null);

    [Fact]
    public void LivePanelView_shows_each_target_with_its_state_reason_in_plain_words_zone_and_Name_tag()
    {
        var panel = Context.Render<LivePanelView>(p => p.Add(v => v.Snapshot, Snapshot()).Add(v => v.LoadBalancerUrl, "http://web-alb-123.ap-northeast-2.elb.localhost:18080/"));

        var healthy = panel.Find("li[data-target='i-0aaa1111']");
        Assert.Equal("healthy", healthy.GetAttribute("data-state"));
        Assert.Contains("web-01", healthy.TextContent, StringComparison.Ordinal);
        Assert.Contains("ap-northeast-2a", healthy.TextContent, StringComparison.Ordinal);
        Assert.Contains("Passing health checks", healthy.TextContent, StringComparison.Ordinal);
        var unhealthy = panel.Find("li[data-target='i-0bbb2222']");
        Assert.Equal("unhealthy", unhealthy.GetAttribute("data-state"));
        Assert.Contains("web-02", unhealthy.TextContent, StringComparison.Ordinal);
        Assert.Contains("did not answer in time", unhealthy.TextContent, StringComparison.Ordinal);
        Assert.Contains("Target.Timeout", unhealthy.TextContent, StringComparison.Ordinal);
        // The address is a link that opens in a new tab, on the data plane's real port.
        var address = panel.Find("#panel-address");
        Assert.Equal("_blank", address.GetAttribute("target"));
        Assert.EndsWith(":18080/", address.GetAttribute("href"), StringComparison.Ordinal);
    }

    [Fact]
    public void LivePanelView_gives_each_page_its_own_colour_and_lists_requests_with_status_and_latency()
    {
        var panel = Context.Render<LivePanelView>(p => p.Add(v => v.Snapshot, Snapshot()));

        var swatches = panel.FindAll("#panel-answers li .lp-swatch").Select(s => s.GetAttribute("style")).ToList();
        Assert.Equal(2, swatches.Count);
        Assert.Equal(2, swatches.Distinct().Count());
        Assert.Contains("5", panel.Find("#panel-answers li[data-page='gosim web page 01']").TextContent, StringComparison.Ordinal);
        var requests = panel.FindAll("li[data-status]");
        Assert.Equal(["200", "502"], requests.Select(r => r.GetAttribute("data-status")));
        Assert.Contains("3 ms", requests[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("13 ms", requests[1].TextContent, StringComparison.Ordinal);
    }
}
