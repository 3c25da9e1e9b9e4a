using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace LabPortal.Tests.Support;

/// <summary>
/// An accessibility scan (axe-core) of the page as it is now: no serious or critical violation; and
/// nothing the page needed was blocked by the portal's Content-Security-Policy.
/// </summary>
public static class Axe
{
    // A snackbar fades in and out with opacity its server-side state sets over the circuit, so a scan can
    // begin before the fade has started, or a fade-out can begin while axe is measuring: half-transparent
    // text then fails the contrast rule although the snackbar at rest passes it.
    private const string SnackbarsAtRest =
        "() => [...document.querySelectorAll('.mud-snackbar')].every(e => { for (let n = e; n; n = n.parentElement) { if (parseFloat(getComputedStyle(n).opacity) < 1) return false; } return true; })";
    private const string SnackbarCount = "() => document.querySelectorAll('.mud-snackbar').length";

    public static async Task AssertNoSeriousViolationsAsync(IPage page, string where)
    {
        var blocked = await page.EvaluateAsync<string[]?>("() => window.__lpCsp ?? null");
        Assert.True(blocked is not null, $"{where}: the page's context was not opened with Browser.OpenContextAsync, so its CSP violations are not watched.");
        Assert.True(blocked.Length == 0, $"{where}: blocked by the Content-Security-Policy: {string.Join("; ", blocked)}");
        for (var attempt = 1; ; attempt++)
        {
            await page.WaitForFunctionAsync(SnackbarsAtRest);
            var snackbars = await page.EvaluateAsync<int>(SnackbarCount);
            // Let every animation that ends (not the endless ones, such as an indeterminate progress bar) finish.
            await page.EvaluateAsync("() => Promise.all(document.getAnimations().filter(a => Number.isFinite(a.effect?.getComputedTiming().endTime)).map(a => a.finished.catch(() => null)))");
            var result = await page.RunAxe();
            // A snackbar came, went or was fading while axe measured: that result is not the page at rest.
            if (attempt < 3 && (!await page.EvaluateAsync<bool>(SnackbarsAtRest) || await page.EvaluateAsync<int>(SnackbarCount) != snackbars))
            {
                continue;
            }
            var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
            Assert.True(serious.Count == 0, $"{where}: " + string.Join("\n", serious.Select(v => $"{v.Impact} {v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))}")));
            return;
        }
    }
}
