using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace LabPortal.Tests.Support;

/// <summary>
/// An accessibility scan (axe-core) of the page as it is now: no serious or critical violation; and
/// nothing the page needed was blocked by the portal's Content-Security-Policy.
/// </summary>
public static class Axe
{
    public static async Task AssertNoSeriousViolationsAsync(IPage page, string where)
    {
        var blocked = await page.EvaluateAsync<string[]?>("() => window.__lpCsp ?? null");
        Assert.True(blocked is not null, $"{where}: the page's context was not opened with Browser.OpenContextAsync, so its CSP violations are not watched.");
        Assert.True(blocked.Length == 0, $"{where}: blocked by the Content-Security-Policy: {string.Join("; ", blocked)}");
        // A scan in the middle of a fade-in (a snackbar appearing) measures half-transparent text: let every
        // animation that ends (not the endless ones, such as an indeterminate progress bar) finish first.
        await page.EvaluateAsync("() => Promise.all(document.getAnimations().filter(a => Number.isFinite(a.effect?.getComputedTiming().endTime)).map(a => a.finished.catch(() => null)))");
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"{where}: " + string.Join("\n", serious.Select(v => $"{v.Impact} {v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))}")));
    }
}
