using System.Text.RegularExpressions;
using LabPortal.Sandbox;
using LabPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LabPortal.Tests.E2E;

/// <summary>
/// A new student does Lab 1 in a real browser (Chromium, JavaScript on: htmx polls the step status
/// and swaps the live panel from its server-sent events), on the sandbox with time sped up, with a
/// screenshot of every step kept under TestResults/artifacts/lab1-walkthrough.
/// </summary>
[Trait("Category", "Browser")]
public sealed partial class Lab1BrowserTests : IAsyncLifetime
{
    private static readonly TimeSpan StepLimit = TimeSpan.FromSeconds(90);

    private readonly TempDirectory _data = new();
    private readonly string _shots = Path.Combine(Artifacts.Directory, "lab1-walkthrough");
    private PortalFactory _factory = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private int _shotNumber;

    public async Task InitializeAsync()
    {
        _factory = new PortalFactory(_data.Path, PortalFactory.OnSandbox(new Dictionary<string, string?>
        {
            ["LivePanel:IntervalMilliseconds"] = "500",
        }));
        _factory.UseKestrel(0);
        _factory.StartServer();
        // Only this run's screenshots: the check at the end must not count an earlier run's.
        if (Directory.Exists(_shots))
        {
            Directory.Delete(_shots, recursive: true);
        }

        Directory.CreateDirectory(_shots);
        (_playwright, _browser) = await Browser.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _factory.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task New_student_joins_a_class_and_completes_Lab_1_in_the_browser_and_sees_both_pages_behind_the_load_balancer()
    {
        // The instructor's part is not under test here: the class is made over plain HTTP to the same server.
        var instructor = new PortalClient(new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new() }) { BaseAddress = _factory.ClientOptions.BaseAddress }, "en");
        var code = await Students.CreateClassAsync(instructor, "WALK" + Random.Shared.Next(1000, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = _factory.ClientOptions.BaseAddress.ToString(),
            Locale = "en-US",
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        try
        {
            // Join the class.
            await page.GotoAsync("/join");
            await page.GetByLabel("Join code").FillAsync(code);
            await page.GetByLabel("Your name").FillAsync("Walk Through");
            await page.GetByLabel("Password", new() { Exact = true }).FillAsync("walk-through-password");
            await page.GetByLabel("Repeat the password").FillAsync("walk-through-password");
            await page.GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync();
            await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Labs" }).ClickAsync();
            await Assertions.Expect(page.Locator("#start-alb-two-web-servers")).ToBeVisibleAsync();
            await ShotAsync(page, "labs");

            // Start Lab 1: the first step is the knowledge check.
            await page.Locator("#start-alb-two-web-servers").GetByRole(AriaRole.Button, new() { Name = "Start lab" }).ClickAsync();
            await Assertions.Expect(page.Locator("#step-title")).ToHaveTextAsync(Lab1Flow.Lab.Steps[0].Title.En);
            foreach (var question in Lab1Flow.Lab.Step("concepts")!.Quiz)
            {
                var answer = question.Choices.Single(c => c.Id == question.Answer).Text.En;
                await page.GetByRole(AriaRole.Group, new() { Name = question.Question.En })
                    .GetByRole(AriaRole.Radio, new() { Name = answer, Exact = true }).CheckAsync();
            }

            await ShotAsync(page, "concepts");
            await page.GetByRole(AriaRole.Button, new() { Name = "Check my answers" }).ClickAsync();

            await RunActionStepAsync(page, "security-group");
            await RunActionStepAsync(page, "instances");

            // Open each server's page, as the blog does, then let the portal check them.
            await ExpectStepAsync(page, "open-instances");
            var endpoints = _factory.Services.GetRequiredService<SandboxEndpoints>();
            var instructions = await page.Locator("#instructions").InnerTextAsync();
            var servers = InstanceHost().Matches(instructions).Select(m => m.Value).Distinct().ToList();
            Assert.Equal(2, servers.Count);
            var server = await context.NewPageAsync();
            foreach (var (host, heading) in servers.Zip(new[] { "gosim web page 01", "gosim web page 02" }))
            {
                await server.GotoAsync(endpoints.DataPlaneUrlFor(host).ToString());
                await Assertions.Expect(server.GetByRole(AriaRole.Heading, new() { Name = heading })).ToBeVisibleAsync();
                await ShotAsync(server, "server-" + heading[^2..]);
            }

            await server.CloseAsync();
            await CheckUntilPassedAsync(page, "open-instances");

            await RunActionStepAsync(page, "target-group");
            await RunActionStepAsync(page, "load-balancer");
            await CheckUntilPassedAsync(page, "verify-traffic");

            // The live panel: both targets healthy, both pages answering through the load balancer.
            var stepUrl = page.Url;
            await page.GetByRole(AriaRole.Link, new() { Name = "Live panel: target health and traffic" }).ClickAsync();
            await Assertions.Expect(page.Locator("#panel-targets tr[data-target]")).ToHaveCountAsync(2);
            // A mark a reload would wipe, then the answer counts (they only grow; the list itself may look
            // the same once it is full) must change by the stream, again and again, not just once.
            await page.EvaluateAsync("() => { window.labPortalMark = 'same page'; }");
            for (var update = 0; update < 3; update++)
            {
                var counts = await page.EvaluateAsync<string>("() => document.querySelector('#panel-requests').dataset.answers");
                await page.WaitForFunctionAsync("seen => document.querySelector('#panel-requests').dataset.answers !== seen", counts, new() { Timeout = 30_000 });
            }
            await Assertions.Expect(page.Locator("#panel-targets tr[data-target][data-state=healthy]")).ToHaveCountAsync(2, new() { Timeout = 60_000 });
            foreach (var answered in new[] { "gosim web page 01", "gosim web page 02" })
            {
                await Assertions.Expect(page.Locator($"#panel-requests li[data-page='{answered}']").First).ToBeVisibleAsync(new() { Timeout = 60_000 });
            }

            Assert.Equal("same page", await page.EvaluateAsync<string>("() => window.labPortalMark"));
            await ShotAsync(page, "live-panel");

            // Last step: tear everything down.
            await page.GotoAsync(stepUrl);
            await page.GetByRole(AriaRole.Link, new() { Name = "Next step" }).ClickAsync();
            await ExpectStepAsync(page, "finish");
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Keep my resources" })).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Tear everything down" }).ClickAsync();
            await Assertions.Expect(page.Locator("#step-status-text")).ToContainTextAsync("Done in", new() { Timeout = (float)StepLimit.TotalMilliseconds });
            await page.ReloadAsync();
            await Assertions.Expect(page.Locator("#progress-text")).ToHaveTextAsync($"{Lab1Flow.Lab.Steps.Count} of {Lab1Flow.Lab.Steps.Count} steps done");
            await ShotAsync(page, "finish");
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(_shots, "FAILED.png"), FullPage = true });
            throw;
        }
        finally
        {
            await context.CloseAsync();
        }

        var kept = Directory.GetFiles(_shots, "*.png").Select(Path.GetFileName).ToList();
        foreach (var step in Lab1Flow.Lab.Steps)
        {
            Assert.Contains(kept, f => f!.EndsWith($"-{step.Id}.png", StringComparison.Ordinal));
        }
    }

    /// <summary>Presses "Run this step" with the values the form shows, waits for the job (htmx polls the status), screenshots and moves on.</summary>
    private async Task RunActionStepAsync(IPage page, string stepId)
    {
        await ExpectStepAsync(page, stepId);
        await page.GetByRole(AriaRole.Button, new() { Name = "Run this step" }).ClickAsync();
        await Assertions.Expect(page.Locator("#step-status-text")).ToContainTextAsync(new Regex("Done in|failed"), new() { Timeout = (float)StepLimit.TotalMilliseconds });
        Assert.DoesNotContain("failed", await page.Locator("#step-status-text").InnerTextAsync(), StringComparison.Ordinal);
        await page.ReloadAsync();
        await ShotAsync(page, stepId);
        await page.GetByRole(AriaRole.Link, new() { Name = "Next step" }).ClickAsync();
    }

    /// <summary>Presses "Check my progress" until every check passes (health checks take a few scaled seconds), screenshots and moves on.</summary>
    private async Task CheckUntilPassedAsync(IPage page, string stepId)
    {
        await ExpectStepAsync(page, stepId);
        var deadline = DateTime.UtcNow + StepLimit;
        while (true)
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Check my progress" }).ClickAsync();
            var results = page.Locator("#check-results li");
            await Assertions.Expect(results.First).ToBeVisibleAsync();
            var verdicts = await results.EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.verdict)");
            if (verdicts.Length > 0 && verdicts.All(v => v == "Passed"))
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{stepId}: " + await page.Locator("#check-results").InnerTextAsync());
            await Task.Delay(1000);
        }

        await ShotAsync(page, stepId);
        if (stepId != "verify-traffic")
        {
            await page.GetByRole(AriaRole.Link, new() { Name = "Next step" }).ClickAsync();
        }
    }

    private static async Task ExpectStepAsync(IPage page, string stepId)
    {
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/steps/{Regex.Escape(stepId)}$"));
        await Assertions.Expect(page.Locator("#step-title")).ToHaveTextAsync(Lab1Flow.Lab.Step(stepId)!.Title.En);
    }

    private async Task ShotAsync(IPage page, string name)
    {
        _shotNumber++;
        await page.ScreenshotAsync(new() { Path = Path.Combine(_shots, $"{_shotNumber:00}-{name}.png"), FullPage = true });
    }

    [GeneratedRegex(@"ec2-[0-9-]+\.[a-z0-9-]+\.compute\.localhost")]
    private static partial Regex InstanceHost();
}
