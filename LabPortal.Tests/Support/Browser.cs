using Microsoft.Playwright;

namespace LabPortal.Tests.Support;

/// <summary>
/// Debian's Chromium driven by Playwright (never `playwright install`: the machines reach no browser
/// downloads). A missing browser fails the test: `.ci/run` installs it.
/// </summary>
public static class Browser
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: install Debian's chromium package (`.ci/run` does).");
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
        return (playwright, browser);
    }

    /// <summary>
    /// A new context whose pages record every Content-Security-Policy violation (the browser blocks
    /// what the portal's policy forbids); <see cref="Axe.AssertNoSeriousViolationsAsync"/> fails on any.
    /// </summary>
    public static async Task<IBrowserContext> OpenContextAsync(this IBrowser browser, BrowserNewContextOptions options)
    {
        var context = await browser.NewContextAsync(options);
        await context.AddInitScriptAsync(
            "window.__lpCsp = []; document.addEventListener('securitypolicyviolation', e => window.__lpCsp.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));");
        return context;
    }
}
