using System.Text.RegularExpressions;
using LabPortal.Sandbox;
using LabPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LabPortal.Tests.E2E;

/// <summary>
/// A new student does Lab 1 in a real browser (Chromium) against the portal in the Development
/// environment, as <c>dotnet run</c> starts it, on the sandbox with ports the test picked (not the
/// defaults). The whole wizard is one page load: each step's job finishes and the page changes by
/// itself (status, sidebar, Next). Every page gets an axe scan; a screenshot of every step is kept
/// under TestResults/artifacts/lab1-walkthrough.
/// </summary>
[Trait("Category", "Browser")]
public sealed partial class Lab1BrowserTests : IAsyncLifetime
{
    private static readonly float StepLimit = 90_000;

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
        }))
        { Environment = "Development" };
        _factory.UseKestrel(0);
        _factory.StartServer();
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
    public async Task New_student_runs_Lab_1_in_one_page_load_and_each_step_moves_on_by_itself()
    {
        var instructor = new PortalClient(new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new() }) { BaseAddress = _factory.ClientOptions.BaseAddress }, "en");
        var code = await Students.CreateClassAsync(instructor, "WALK" + Random.Shared.Next(1000, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var endpoints = _factory.Services.GetRequiredService<SandboxEndpoints>();
        Assert.NotEqual(4566, endpoints.Api.Port);
        Assert.NotEqual(8080, endpoints.DataPlane.Port);
        var context = await _browser.OpenContextAsync(new BrowserNewContextOptions
        {
            BaseURL = _factory.ClientOptions.BaseAddress.ToString(),
            Locale = "en-US",
            TimezoneId = "Asia/Seoul",
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        try
        {
            await page.GotoAsync("/join");
            await Axe.AssertNoSeriousViolationsAsync(page, "join");
            await page.GetByLabel("Join code").FillAsync(code);
            await page.GetByLabel("Your name").FillAsync("Walk Through");
            await page.GetByLabel("Password", new() { Exact = true }).FillAsync("walk-through-password");
            await page.GetByLabel("Repeat the password").FillAsync("walk-through-password");
            await page.GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync();
            await Assertions.Expect(page.Locator("#start-alb-two-web-servers")).ToBeVisibleAsync();
            await Axe.AssertNoSeriousViolationsAsync(page, "labs");
            await ShotAsync(page, "labs");

            // Start Lab 1 once the list's circuit is live: from here on (the start included) the wizard is one document.
            await Assertions.Expect(page.Locator("#lab-list[data-interactive=true]")).ToBeVisibleAsync();
            var loads = 0;
            page.Load += (_, _) => loads++;
            await page.EvaluateAsync("() => { window.labPortalMark = 'same page'; }");
            await page.Locator("#start-alb-two-web-servers").GetByRole(AriaRole.Button, new() { Name = "Start lab" }).ClickAsync();
            await ExpectStepAsync(page, "concepts");

            // The quiz: an unanswered question is asked for, not marked wrong.
            await page.GetByRole(AriaRole.Button, new() { Name = "Check my answers" }).ClickAsync();
            await Assertions.Expect(page.Locator("[data-feedback=unanswered]").First).ToBeVisibleAsync();
            Assert.Equal(0, await page.Locator("[data-feedback=wrong]").CountAsync());
            foreach (var question in Lab1Flow.Lab.Step("concepts")!.Quiz)
            {
                var answer = question.Choices.Single(c => c.Id == question.Answer).Text.En;
                await page.GetByRole(AriaRole.Group, new() { Name = question.Question.En })
                    .GetByRole(AriaRole.Radio, new() { Name = answer, Exact = true }).CheckAsync(new() { Force = true });
            }

            await Axe.AssertNoSeriousViolationsAsync(page, "concepts");
            await ShotAsync(page, "concepts");
            await page.GetByRole(AriaRole.Button, new() { Name = "Check my answers" }).ClickAsync();

            await RunActionStepAsync(page, "security-group");
            var cli = await page.Locator("#cli").InnerTextAsync();
            Assert.Contains($"export AWS_ENDPOINT_URL={endpoints.Api.ToString().TrimEnd('/')}", cli, StringComparison.Ordinal);
            await page.Locator("#next-step").ClickAsync();
            await RunActionStepAsync(page, "instances");
            await page.Locator("#next-step").ClickAsync();

            // Open each server's page from the step's links (the configured data-plane port), then let the portal check them.
            await ExpectStepAsync(page, "open-instances");
            var instructions = await page.Locator("#instructions").InnerTextAsync();
            var servers = InstanceAddress().Matches(instructions).Select(m => m.Value).Distinct().ToList();
            Assert.Equal(2, servers.Count);
            Assert.All(servers, s => Assert.EndsWith($":{endpoints.DataPlane.Port}/", s, StringComparison.Ordinal));
            var server = await context.NewPageAsync();
            foreach (var (address, heading) in servers.Zip(new[] { "gosim web page 01", "gosim web page 02" }))
            {
                await server.GotoAsync(address);
                await Assertions.Expect(server.GetByRole(AriaRole.Heading, new() { Name = heading })).ToBeVisibleAsync();
            }

            await server.CloseAsync();
            await CheckUntilPassedAsync(page, "open-instances");
            await page.Locator("#next-step").ClickAsync();

            await RunActionStepAsync(page, "target-group");
            await page.Locator("#next-step").ClickAsync();
            await RunActionStepAsync(page, "load-balancer");
            await page.Locator("#next-step").ClickAsync();
            await CheckUntilPassedAsync(page, "verify-traffic");

            // The live panel: both targets healthy with their Name tags, and at least three updates pushed to this page.
            await page.Locator("#live-panel-link").ClickAsync();
            await Assertions.Expect(page.Locator("#panel-targets li[data-target]")).ToHaveCountAsync(2);
            await Assertions.Expect(page.Locator("#panel-targets li[data-target][data-state=healthy]")).ToHaveCountAsync(2, new() { Timeout = 60_000 });
            var first = int.Parse(await page.Locator("#panel-update-count").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
            await page.WaitForFunctionAsync($"() => Number(document.querySelector('#panel-update-count').textContent) >= {first + 3}", null, new() { Timeout = 30_000 });
            foreach (var answered in new[] { "gosim web page 01", "gosim web page 02" })
            {
                await Assertions.Expect(page.Locator($"#panel-answers li[data-page='{answered}']")).ToBeVisibleAsync(new() { Timeout = 60_000 });
            }

            Assert.Equal(2, await page.Locator("#panel-targets li[data-name^='web-']").CountAsync());
            await Axe.AssertNoSeriousViolationsAsync(page, "live panel");
            await ShotAsync(page, "live-panel");

            // Last step: tear everything down, after the confirmation.
            await page.GoBackAsync();
            await ExpectStepAsync(page, "verify-traffic");
            await page.Locator("#next-step").ClickAsync();
            await ExpectStepAsync(page, "finish");
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Keep my resources" })).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Tear everything down" }).ClickAsync();
            await Assertions.Expect(page.Locator("#confirm-text")).ToBeVisibleAsync();
            await Axe.AssertNoSeriousViolationsAsync(page, "finish dialog");
            await page.Locator("#confirm-yes").ClickAsync();
            await Assertions.Expect(page.Locator("#step-status-text[data-state=done]")).ToBeVisibleAsync(new() { Timeout = StepLimit });
            await Assertions.Expect(page.Locator("#progress-text")).ToHaveTextAsync($"{Lab1Flow.Lab.Steps.Count} of {Lab1Flow.Lab.Steps.Count} steps done");
            await ShotAsync(page, "finish");

            Assert.Equal("same page", await page.EvaluateAsync<string>("() => window.labPortalMark"));
            Assert.Equal(0, loads);
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

    /// <summary>Presses "Run this step"; the status and the Next action must change by themselves when the job ends.</summary>
    private async Task RunActionStepAsync(IPage page, string stepId)
    {
        await ExpectStepAsync(page, stepId);
        await Axe.AssertNoSeriousViolationsAsync(page, stepId);
        await page.Locator("#run-step").ClickAsync();
        await Assertions.Expect(page.Locator("#step-status-text[data-state=done], #step-status-text[data-state=failed]")).ToBeVisibleAsync(new() { Timeout = StepLimit });
        Assert.Equal("done", await page.Locator("#step-status-text").GetAttributeAsync("data-state"));
        await Assertions.Expect(page.Locator("#next-step")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator($"li[data-step='{stepId}']")).ToHaveAttributeAsync("data-state", "done");
        await ShotAsync(page, stepId);
    }

    /// <summary>Presses "Check my progress" until every check passes (health checks take a few scaled seconds).</summary>
    private async Task CheckUntilPassedAsync(IPage page, string stepId)
    {
        await ExpectStepAsync(page, stepId);
        await Axe.AssertNoSeriousViolationsAsync(page, stepId);
        var deadline = DateTime.UtcNow.AddMilliseconds(StepLimit);
        while (true)
        {
            await page.Locator("#check-progress").ClickAsync();
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
    }

    private static async Task ExpectStepAsync(IPage page, string stepId)
    {
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/steps/{Regex.Escape(stepId)}$"));
        await Assertions.Expect(page.Locator("#step-title")).ToHaveTextAsync(Lab1Flow.Lab.Step(stepId)!.Title.En);
        await Assertions.Expect(page.Locator("#step-page")).ToHaveAttributeAsync("data-interactive", "true");
    }

    private async Task ShotAsync(IPage page, string name)
    {
        _shotNumber++;
        await page.ScreenshotAsync(new() { Path = Path.Combine(_shots, $"{_shotNumber:00}-{name}.png"), FullPage = true });
    }

    [GeneratedRegex(@"http://ec2-[0-9-]+\.[a-z0-9-]+\.compute\.localhost:\d+/")]
    private static partial Regex InstanceAddress();
}
