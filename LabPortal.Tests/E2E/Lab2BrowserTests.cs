using System.Text.RegularExpressions;
using LabPortal.Features.LabRuns.Drill;
using LabPortal.Tests.Support;
using Microsoft.Playwright;

namespace LabPortal.Tests.E2E;

/// <summary>
/// A student joins a class and completes Lab 2 in a real browser on the in-process sandbox, with the
/// portal in the Development environment, including the drill: one page load for the whole lab, the
/// status, Next and the drill timeline change by themselves until the group is whole again. Every
/// step gets an axe scan; one screenshot per step is kept under TestResults/artifacts.
/// </summary>
[Trait("Category", "Browser")]
public sealed partial class Lab2BrowserTests : IAsyncLifetime
{
    private const float StepTimeout = 120_000;

    private readonly TempDirectory _data = new();
    private PortalFactory _factory = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _factory = new PortalFactory(_data.Path, PortalFactory.OnSandbox()) { Environment = "Development" };
        _factory.UseKestrel(0);
        _factory.StartServer();
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
    public async Task Student_joins_a_class_and_completes_Lab_2_with_the_drill_in_the_browser()
    {
        var code = "BRW" + Random.Shared.Next(1000, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await CreateClassAsInstructorAsync(code);
        var context = await _browser.OpenContextAsync(new BrowserNewContextOptions { BaseURL = _factory.ClientOptions.BaseAddress.ToString(), Locale = "en-US", TimezoneId = "Asia/Seoul", ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        var shot = 0;
        async Task ShotAsync(string name) =>
            await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Directory, $"lab2-{++shot:00}-{name}.png"), FullPage = true });
        try
        {
            await page.GotoAsync("/join");
            await page.GetByLabel("Join code").FillAsync(code);
            await page.GetByLabel("Your name").FillAsync("Browser Student");
            await page.GetByLabel("Password", new() { Exact = true }).FillAsync("browser-student-password");
            await page.GetByLabel("Repeat the password").FillAsync("browser-student-password");
            await page.GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/labs\\?joined=true$"));
            await ShotAsync("labs");

            await Axe.AssertNoSeriousViolationsAsync(page, "labs");
            await page.Locator($"#start-{Lab2Flow.LabId}").GetByRole(AriaRole.Button, new() { Name = "Start lab" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/runs/\d+/steps/[a-z-]+$"));
            await Assertions.Expect(page.Locator("#step-page")).ToHaveAttributeAsync("data-interactive", "true");
            var loads = 0;
            page.Load += (_, _) => loads++;

            // One document for the whole lab: each step is reached with its Next action, which appears by itself.
            foreach (var step in Lab2Flow.Lab.Steps)
            {
                await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/steps/{Regex.Escape(step.Id)}$"));
                await Assertions.Expect(page.Locator("#step-title")).ToHaveTextAsync(step.Title.En);
                await Assertions.Expect(page.Locator("#step-page")).ToHaveAttributeAsync("data-interactive", "true");
                await Axe.AssertNoSeriousViolationsAsync(page, step.Id);
                if (step.Quiz.Count > 0)
                {
                    foreach (var question in step.Quiz)
                    {
                        var answer = question.Choices.Single(c => c.Id == question.Answer).Text.En;
                        await page.GetByRole(AriaRole.Group, new() { Name = question.Question.En }).GetByRole(AriaRole.Radio, new() { Name = answer, Exact = true }).CheckAsync(new() { Force = true });
                    }

                    await ShotAsync(step.Id);
                    await page.GetByRole(AriaRole.Button, new() { Name = "Check my answers" }).ClickAsync();
                    await Assertions.Expect(page).Not.ToHaveURLAsync(new Regex($"/steps/{step.Id}$"));
                    continue;
                }

                if (step.Id == "drill")
                {
                    // The picker defaults to a running instance of the group (read from the cloud).
                    await Assertions.Expect(page.Locator("#p-instanceId")).ToHaveValueAsync(new Regex(@"^i-[0-9a-f]+"));
                }

                if (step.Id == "finish")
                {
                    await page.GetByRole(AriaRole.Button, new() { Name = "Tear everything down" }).ClickAsync();
                    await page.Locator("#confirm-yes").ClickAsync();
                }
                else
                {
                    await page.Locator("#run-step").ClickAsync();
                }

                await Assertions.Expect(page.Locator("#step-status-text[data-state=done], #step-status-text[data-state=failed]")).ToBeVisibleAsync(new() { Timeout = StepTimeout });
                Assert.Equal("done", await page.Locator("#step-status-text").GetAttributeAsync("data-state"));

                if (step.Id == "drill")
                {
                    // The page keeps reading the timeline until the replacement is healthy.
                    await Assertions.Expect(page.Locator("#drill-settled")).ToBeVisibleAsync(new() { Timeout = StepTimeout });
                    var kinds = await page.Locator("#drill-events [data-kind]").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.kind)");
                    DrillEventKind[] expected = [DrillEventKind.TargetUnhealthy, DrillEventKind.Terminating, DrillEventKind.Launching, DrillEventKind.ReplacementRegistered, DrillEventKind.ReplacementHealthy];
                    Assert.Equal(expected, kinds.Select(Enum.Parse<DrillEventKind>).Where(expected.Contains).Distinct());
                    // Times in the viewer's zone, named (the context's zone is Seoul).
                    Assert.Contains("KST", await page.Locator("#drill-events").InnerTextAsync(), StringComparison.Ordinal);
                }

                if (step.Checks.Count > 0 && step.Id != "auto-scaling-group" && step.Id != "scale-before-attach")
                {
                    await PassChecksAsync(page, step.Checks);
                }

                await ShotAsync(step.Id);
                if (step.Id != "finish")
                {
                    await page.Locator("#next-step").ClickAsync();
                }
            }

            await Assertions.Expect(page.Locator("#progress-text")).ToHaveTextAsync($"{Lab2Flow.Lab.Steps.Count} of {Lab2Flow.Lab.Steps.Count} steps done");
            Assert.Equal(0, loads);
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Directory, "lab2-FAILED.png"), FullPage = true });
            throw;
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    private async Task CreateClassAsInstructorAsync(string code)
    {
        await using var context = await _browser.OpenContextAsync(new BrowserNewContextOptions { BaseURL = _factory.ClientOptions.BaseAddress.ToString(), Locale = "en-US" });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByLabel("User name").FillAsync(PortalFactory.InstructorUserName);
        await page.GetByLabel("Password").FillAsync(PortalFactory.InstructorPassword);
        await page.GetByLabel("Password").PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your classes" })).ToBeVisibleAsync();
        await page.GetByLabel("Class name").FillAsync("Class " + code);
        await page.GetByLabel("Join code (optional)").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create class" }).ClickAsync();
        await Assertions.Expect(page.GetByText(code).First).ToBeVisibleAsync();
    }

    /// <summary>Presses "Check my progress" until every check passes (targets need a health check or two first).</summary>
    private static async Task PassChecksAsync(IPage page, List<string> checks)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Check my progress" }).ClickAsync();
            await Assertions.Expect(page.Locator("#check-results")).ToBeVisibleAsync();
            var verdicts = await page.Locator("#check-results li").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.verdict)");
            if (verdicts.Length == checks.Count && verdicts.All(v => v != "Failed"))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("Checks still failing: " + await page.Locator("#check-results").InnerTextAsync());
            }

            await Task.Delay(500);
        }
    }

}
