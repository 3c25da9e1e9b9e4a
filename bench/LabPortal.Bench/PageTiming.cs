using System.Diagnostics;
using System.Text.Json;
using Microsoft.Playwright;

namespace LabPortal.Bench;

/// <summary>What a pressed button must lead to: every selector present (and the path, the title, a busy cycle of a button).</summary>
/// <param name="Button">CSS selector of the button the student presses.</param>
/// <param name="All">CSS selectors that must all match once the page shows the outcome.</param>
/// <param name="Path">The address's path must end with this (a wizard step), when set.</param>
/// <param name="Title">The step title (<c>#step-title</c>) must read this, when set.</param>
/// <param name="Cycle">This button must turn disabled and enabled again (the server's round trip), when set.</param>
/// <param name="Fail">A selector that means the outcome is a failure (e.g. a failed step's status).</param>
/// <param name="LimitMs">How long the page waits for the outcome before the press counts as failed.</param>
internal sealed record Press(string Button, IReadOnlyList<string> All, string? Path = null, string? Title = null, string? Cycle = null, string? Fail = null, double LimitMs = 300_000);

/// <summary>
/// How a press ended: in-page milliseconds from the click to the outcome, whether it was the failure outcome, and
/// for a press answered over HTTP (an enhanced form post's fetch) the milliseconds until the answer's first byte.
/// </summary>
internal sealed record Pressed(double Milliseconds, string State, double? FirstByteMs = null);

/// <summary>A live-panel page's record since its last reset: every new snapshot it showed.</summary>
internal sealed record PanelSeen(IReadOnlyList<double> LagsMs, IReadOnlyList<double> GapsMs, int Count);

/// <summary>
/// Interactions timed inside the page (no clock of another process involved): the button is clicked by
/// the page's own script and a <c>MutationObserver</c> notes <c>performance.now()</c> when the DOM first
/// shows the outcome. The live panel's updates are recorded the same way: each new
/// <c>#live-panel[data-taken]</c> (the server's snapshot time, .NET ticks, UTC) is compared with the
/// page's <c>Date.now()</c> when it appears. Both read the same machine's real-time clock (the portal
/// and Chromium run side by side); the gaps between successive updates use only the page's monotonic clock.
/// </summary>
internal static class PageTiming
{
    public const string Script = """
        (() => {
          const epochTicks = 621355968000000000n;
          const panel = { lags: [], gaps: [], count: 0, lastTaken: null, lastSeen: 0 };
          window.__benchPanel = panel;
          window.__benchPanelTake = () => {
            const taken = { lags: panel.lags, gaps: panel.gaps, count: panel.count };
            panel.lags = []; panel.gaps = []; panel.count = 0;
            return taken;
          };
          new MutationObserver(() => {
            const live = document.getElementById('live-panel');
            const taken = live && live.getAttribute('data-taken');
            if (!taken || taken === panel.lastTaken) return;
            const wall = Date.now();
            const seen = performance.now();
            if (panel.lastTaken !== null) panel.gaps.push(seen - panel.lastSeen);
            panel.lastTaken = taken;
            panel.lastSeen = seen;
            panel.lags.push(wall - Number(BigInt(taken) - epochTicks) / 10000);
            panel.count++;
          }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-taken'] });

          window.__benchPress = (p) => new Promise((resolve, reject) => {
            const button = document.querySelector(p.button);
            if (!button) { reject(new Error('no ' + p.button + ' on ' + location.pathname)); return; }
            let sawBusy = false;
            const done = () => {
              if (p.cycle) {
                const c = document.querySelector(p.cycle);
                if (c && c.disabled) sawBusy = true;
                if (!sawBusy || !c || c.disabled) return false;
              }
              if (p.path && !location.pathname.endsWith(p.path)) return false;
              if (p.title) {
                const t = document.getElementById('step-title');
                if (!t || t.textContent.trim() !== p.title) return false;
              }
              return p.all.every(s => document.querySelector(s));
            };
            let timer = 0;
            const observer = new MutationObserver(() => {
              const state = p.fail && document.querySelector(p.fail) ? 'failed' : done() ? 'done' : null;
              if (state) {
                const ms = performance.now() - start;
                observer.disconnect();
                clearTimeout(timer);
                // A press answered over HTTP (an enhanced form post) has a fetch: its first byte is the portal's part.
                const fetched = performance.getEntriesByType('resource').find(e => e.initiatorType === 'fetch' && e.startTime >= start);
                resolve({ ms, state, firstByte: fetched ? fetched.responseStart - start : null });
              }
            });
            observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
            timer = setTimeout(() => { observer.disconnect(); reject(new Error('no outcome of ' + p.button + ' within ' + p.limit + ' ms on ' + location.pathname)); }, p.limit);
            const start = performance.now();
            button.click();
          });
        })();
        """;

    /// <summary>Clicks <see cref="Press.Button"/> in the page and waits for the outcome; returns the in-page time.</summary>
    public static async Task<Pressed> PressAsync(IPage page, Press press)
    {
        // The button must be there and enabled first (a step's form loads after the step's title).
        await page.Locator(press.Button + ":not([disabled])").WaitForAsync(new() { Timeout = 120_000 });
        var result = await page.EvaluateAsync<JsonElement>(
            "p => window.__benchPress(p)",
            new { button = press.Button, all = press.All.ToArray(), path = press.Path, title = press.Title, cycle = press.Cycle, fail = press.Fail, limit = press.LimitMs });
        var firstByte = result.GetProperty("firstByte");
        return new Pressed(
            result.GetProperty("ms").GetDouble(),
            result.GetProperty("state").GetString() ?? "",
            firstByte.ValueKind == JsonValueKind.Number ? firstByte.GetDouble() : null);
    }

    /// <summary>For a press that loads a new document (static forms): clicks, then waits for <paramref name="shown"/>; times it from outside the page.</summary>
    public static async Task<double> NavigateAsync(IPage page, ILocator button, string shown) => (await NavigateTimedAsync(page, button, shown)).Total;

    /// <summary>
    /// As <see cref="NavigateAsync"/>, with the new document's own Navigation Timing: from the press's navigation
    /// start until the document's first byte (the portal's part: the form post, its redirect and the page's
    /// server render) and until its load event (the browser's part: scripts and styles parsed and run).
    /// </summary>
    public static async Task<(double Total, double FirstByte, double Loaded)> NavigateTimedAsync(IPage page, ILocator button, string shown)
    {
        await page.EvaluateAsync("() => { window.__benchSameDocument = true; }");
        var watch = Stopwatch.StartNew();
        await button.ClickAsync();
        await page.Locator(shown).First.WaitForAsync(new() { Timeout = 120_000 });
        var total = watch.Elapsed.TotalMilliseconds;
        if (await page.EvaluateAsync<bool>("() => window.__benchSameDocument === true"))
        {
            // An enhanced post: blazor.web.js loaded the outcome into the same document, so there is no new document's timing.
            return (total, double.NaN, double.NaN);
        }

        // The press is done when the element shows; the load event may come later (0 until then).
        await page.WaitForLoadStateAsync(LoadState.Load, new() { Timeout = 120_000 });
        var entry = await page.EvaluateAsync<JsonElement>("() => { const n = performance.getEntriesByType('navigation')[0]; return n ? { firstByte: n.responseStart, loaded: n.loadEventEnd } : null; }");
        return entry.ValueKind == JsonValueKind.Object
            ? (total, entry.GetProperty("firstByte").GetDouble(), entry.GetProperty("loaded").GetDouble())
            : (total, double.NaN, double.NaN);
    }

    /// <summary>The live-panel updates this page showed since the last call (then forgotten).</summary>
    public static async Task<PanelSeen> TakePanelAsync(IPage page)
    {
        var taken = await page.EvaluateAsync<JsonElement>("() => window.__benchPanelTake()");
        return new PanelSeen(
            [.. taken.GetProperty("lags").EnumerateArray().Select(e => e.GetDouble())],
            [.. taken.GetProperty("gaps").EnumerateArray().Select(e => e.GetDouble())],
            taken.GetProperty("count").GetInt32());
    }
}
