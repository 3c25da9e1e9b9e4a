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

    /// <summary>
    /// Launches headless Chromium, in the idle scheduling class when <paramref name="idle"/> (see
    /// <see cref="BenchOptions.BrowserIdle"/>): through a small script that <c>exec</c>s <c>chrt --idle 0</c>,
    /// so the browser and every process and thread it starts inherit the class (a nice value it may change; the
    /// class it does not).
    /// </summary>
    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync(bool idle)
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"{ExecutablePath} is missing: install Debian's chromium package.");
        }

        var executable = idle ? IdleLauncher() : ExecutablePath;
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = executable,
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

    /// <summary>The browser's version and the priority it ran at, for a report's parameters.</summary>
    public static string Describe(string version, bool idle) =>
        idle ? $"{version}, in the idle scheduling class (chrt --idle: it gets the CPU time the portal does not use; the students' browsers stand for their own laptops)" : version;

    private static string IdleLauncher()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("--browser-priority idle needs Linux's chrt; pass --browser-priority normal.");
        }

        var path = Path.Combine(BenchEnvironment.NewTempDirectory("chromium"), "chromium-idle.sh");
        File.WriteAllText(path, $"#!/bin/sh\nexec chrt --idle 0 {ExecutablePath} \"$@\"\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
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
