using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace LabPortal.Tests.Support;

/// <summary>An accessibility scan (axe-core) of the page as it is now: no serious or critical violation.</summary>
public static class Axe
{
    public static async Task AssertNoSeriousViolationsAsync(IPage page, string where)
    {
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"{where}: " + string.Join("\n", serious.Select(v => $"{v.Impact} {v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))}")));
    }
}
