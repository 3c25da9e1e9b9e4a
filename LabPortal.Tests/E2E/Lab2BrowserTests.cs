using System.Text.RegularExpressions;
using LabPortal.Features.LabRuns.Drill;
using LabPortal.Tests.Support;
using Microsoft.Playwright;

namespace LabPortal.Tests.E2E;

/// <summary>
/// A student joins a class and completes Lab 2 in a real browser on the in-process sandbox,
/// including the drill: htmx polls the step status and the drill timeline until the group is whole
/// again. One screenshot per step is kept under TestResults/artifacts.
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
        _factory = new PortalFactory(_data.Path, PortalFactory.OnSandbox());
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
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _factory.ClientOptions.BaseAddress.ToString(), Locale = "en-US" });
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
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/labs$"));
            await ShotAsync("labs");

            await page.Locator($"#start-{Lab2Flow.LabId}").GetByRole(AriaRole.Button, new() { Name = "Start lab" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/runs/\d+/steps/[a-z-]+$"));
            var runUrl = RunStepUrl().Match(new Uri(page.Url).AbsolutePath).Groups["run"].Value;

            foreach (var step in Lab2Flow.Lab.Steps)
            {
                await page.GotoAsync($"{runUrl}/steps/{step.Id}");
                await Assertions.Expect(page.Locator("#step-title")).ToHaveTextAsync(step.Title.En);
                if (step.Quiz.Count > 0)
                {
                    foreach (var question in step.Quiz)
                    {
                        var answer = question.Choices.Single(c => c.Id == question.Answer).Text.En;
                        await page.GetByRole(AriaRole.Group, new() { Name = question.Question.En }).GetByLabel(answer, new() { Exact = true }).CheckAsync();
                    }

                    await ShotAsync(step.Id);
                    await page.GetByRole(AriaRole.Button, new() { Name = "Check my answers" }).ClickAsync();
                    await Assertions.Expect(page).Not.ToHaveURLAsync(new Regex($"/steps/{step.Id}$"));
                    continue;
                }

                if (step.Id == "drill")
                {
                    var choices = page.GetByLabel("Instance whose web server to stop").Locator("option");
                    await Assertions.Expect(choices.First).ToHaveTextAsync(new Regex(@"^i-[0-9a-f]+ \(ap-northeast-2[ac]\)$"));
                }

                // The last step offers keeping the resources or tearing them down; the walk-through tears down.
                await page.GetByRole(AriaRole.Button, new() { Name = step.Id == "finish" ? "Tear everything down" : "Run this step" }).ClickAsync();
                var status = page.Locator("#step-status-text");
                await Assertions.Expect(status).ToHaveClassAsync(new Regex("text-success|text-danger"), new() { Timeout = StepTimeout });
                await Assertions.Expect(status).ToContainTextAsync("Done");

                if (step.Id == "drill")
                {
                    // htmx keeps reading the timeline until the replacement is healthy.
                    await Assertions.Expect(page.Locator("#drill-settled")).ToBeVisibleAsync(new() { Timeout = StepTimeout });
                    var kinds = await page.Locator("#drill-events li").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.kind)");
                    DrillEventKind[] expected = [DrillEventKind.TargetUnhealthy, DrillEventKind.Terminating, DrillEventKind.Launching, DrillEventKind.ReplacementRegistered, DrillEventKind.ReplacementHealthy];
                    Assert.Equal(expected, kinds.Select(Enum.Parse<DrillEventKind>).Where(expected.Contains).Distinct());
                }

                if (step.Checks.Count > 0 && step.Id != "auto-scaling-group" && step.Id != "scale-before-attach")
                {
                    await PassChecksAsync(page, step.Checks);
                }

                await ShotAsync(step.Id);
            }

            // The step list is drawn with the page; htmx only refreshed the status panel.
            await page.ReloadAsync();
            await Assertions.Expect(page.Locator("#progress-text")).ToHaveTextAsync($"{Lab2Flow.Lab.Steps.Count} of {Lab2Flow.Lab.Steps.Count} steps done");
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
        await using var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _factory.ClientOptions.BaseAddress.ToString(), Locale = "en-US" });
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

    [GeneratedRegex(@"^(?<run>/runs/\d+)/steps/[a-z-]+$")]
    private static partial Regex RunStepUrl();
}
