using Microsoft.Playwright;

namespace LabPortal.Bench;

/// <summary>
/// Debian's Chromium driven by Playwright, the way the portal's browser tests drive it (never
/// <c>playwright install</c>: the machines reach no browser downloads). Every page gets
/// <see cref="PageTiming.Script"/>, which times an interaction inside the page.
/// </summary>
internal static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"{ExecutablePath} is missing: install Debian's chromium package.");
        }

        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args =
                [
                    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                    // Many tabs at once: each keeps running as a tab in view would (no background throttling).
                    "--disable-renderer-backgrounding", "--disable-background-timer-throttling", "--disable-backgrounding-occluded-windows",
                ],
            });
            return (playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A context (its own cookies: one person) on the portal, English, Seoul time, a laptop's window, the in-page timer installed.</summary>
    public static async Task<IBrowserContext> NewContextAsync(IBrowser browser, Uri portal)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = portal.ToString(),
            Locale = "en-US",
            TimezoneId = "Asia/Seoul",
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(120_000);
        await context.AddInitScriptAsync(PageTiming.Script);
        return context;
    }
}
