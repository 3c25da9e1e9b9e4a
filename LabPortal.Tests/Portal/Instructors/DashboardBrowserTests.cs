using LabPortal.Features.LabRuns;
using LabPortal.Infrastructure.Data;
using LabPortal.Tests.E2E;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LabPortal.Tests.Portal.Instructors;

/// <summary>
/// The instructor's pages in Chromium, against the portal in the Development environment (as
/// <c>dotnet run</c> starts it) on free ports: the dashboard follows students by itself, a class reset
/// shows its progress and ends in words, every instructor page passes axe, and the screenshots under
/// TestResults/artifacts/instructor are taken at 1,366 px, a laptop's width.
/// </summary>
[Trait("Category", "Browser")]
public sealed class DashboardBrowserTests : IAsyncLifetime
{
    private static readonly ViewportSize Laptop = new() { Width = 1366, Height = 768 };

    private readonly TempDirectory _data = new();
    private readonly string _shots = Path.Combine(Artifacts.Directory, "instructor");
    private PortalFactory _factory = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        // The sandbox (free ports) with both shipped labs, so a reset's teardown runs for real.
        _factory = new PortalFactory(_data.Path, PortalFactory.OnSandbox()) { Environment = "Development" };
        _factory.UseKestrel(0);
        _factory.StartServer();
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
    public async Task Dashboard_changes_by_itself_while_a_student_works_through_the_lab()
    {
        var setup = await ClassSetup.CreateInDatabaseAsync(_factory, "LIVE01", "Minji", "Jisoo");
        var minji = setup.StudentId("Minji");
        var (context, page) = await InstructorPageAsync();
        try
        {
            await page.GotoAsync($"/classes/{setup.ClassId}/dashboard");
            await Assertions.Expect(page.Locator("#reset-class")).ToBeEnabledAsync();
            await Assertions.Expect(page.Locator("#matrix-alb-two-web-servers .not-started")).ToHaveTextAsync("Not started yet (2): Jisoo, Minji");
            await page.EvaluateAsync("() => { window.labPortalMark = 'same page'; }");

            // The student starts Lab 1 and answers its quiz wrong, then right, through the wizard's own calls.
            int runId;
            using (var scope = _factory.Services.CreateScope())
            {
                runId = (await scope.ServiceProvider.GetRequiredService<LabRunService>().StartAsync(minji, Lab1Flow.Lab.Id))!.Value;
            }

            var cell = page.Locator($"#matrix-alb-two-web-servers [data-learner='{minji}']").Locator("xpath=ancestor::tr").Locator("[data-step='concepts'][data-state]");
            await Assertions.Expect(cell).ToHaveAttributeAsync("data-state", "NotStarted", new() { Timeout = 30_000 });
            await Assertions.Expect(page.Locator("#matrix-alb-two-web-servers .not-started")).ToHaveTextAsync("Not started yet (1): Jisoo");

            var wizard = _factory.Services.GetRequiredService<LabWizard>();
            var wrong = Lab1Flow.Lab.Step("concepts")!.Quiz.ToDictionary(q => q.Id, q => q.Choices.First(c => c.Id != q.Answer).Id);
            Assert.False((await wizard.SubmitQuizAsync(minji, runId, "concepts", wrong))!.Passed);
            await Assertions.Expect(cell).ToHaveAttributeAsync("data-state", "Failed", new() { Timeout = 30_000 });
            await Assertions.Expect(cell).ToHaveTextAsync("answered wrong");

            var right = Lab1Flow.Lab.Step("concepts")!.Quiz.ToDictionary(q => q.Id, q => q.Answer);
            Assert.True((await wizard.SubmitQuizAsync(minji, runId, "concepts", right))!.Passed);
            await Assertions.Expect(cell).ToHaveAttributeAsync("data-state", "Succeeded", new() { Timeout = 30_000 });
            await Assertions.Expect(cell).ToHaveTextAsync("succeeded");

            // A student who joins after the dashboard was opened (the usual order in a classroom) shows up
            // with their first run, still without a reload (found by the dashboard benchmark).
            int late;
            using (var scope = _factory.Services.CreateScope())
            {
                var joined = await scope.ServiceProvider.GetRequiredService<LabPortal.Features.Classes.ClassService>().JoinAsync(new LabPortal.Features.Classes.JoinClassInput
                {
                    JoinCode = "LIVE01",
                    DisplayName = "Latecomer",
                    Password = "latecomer-password-1",
                    ConfirmPassword = "latecomer-password-1",
                });
                late = joined.Value!.Id;
                // Joined, nothing started: counted among those who have not started yet.
                await Assertions.Expect(page.Locator("#matrix-alb-two-web-servers .not-started")).ToHaveTextAsync("Not started yet (2): Jisoo, Latecomer", new() { Timeout = 30_000 });
                await scope.ServiceProvider.GetRequiredService<LabRunService>().StartAsync(late, Lab1Flow.Lab.Id);
            }

            await Assertions.Expect(page.Locator($"#matrix-alb-two-web-servers [data-learner='{late}']")).ToHaveTextAsync("Latecomer", new() { Timeout = 30_000 });

            Assert.Equal("same page", await page.EvaluateAsync<string>("() => window.labPortalMark"));
            await Axe.AssertNoSeriousViolationsAsync(page, "dashboard");
            await page.ScreenshotAsync(new() { Path = Path.Combine(_shots, "dashboard-live.png"), FullPage = true });
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(_shots, "dashboard-live-FAILED.png"), FullPage = true });
            throw;
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    [Fact]
    public async Task Class_reset_shows_live_progress_and_a_clear_end_and_every_instructor_page_passes_axe_at_laptop_width()
    {
        var setup = await ClassSetup.CreateInDatabaseAsync(_factory, "RESET1", "Minji", "Jisoo", "Hana");
        var started = DateTime.UtcNow.AddMinutes(-40);
        var lab2 = Lab2Flow.Lab;
        await setup.AddRunAsync("Minji", lab2.Id, started, [.. lab2.Steps.Take(6).Select(s => (s.Id, StepRunStatus.Succeeded)), (lab2.Steps[6].Id, StepRunStatus.Failed)]);
        await setup.AddRunAsync("Jisoo", lab2.Id, started, [.. lab2.Steps.Take(3).Select(s => (s.Id, StepRunStatus.Succeeded)), (lab2.Steps[3].Id, StepRunStatus.Running)]);
        await setup.AddRunAsync("Hana", Lab1Flow.Lab.Id, started, [.. Lab1Flow.Lab.Steps.Take(4).Select(s => (s.Id, StepRunStatus.Succeeded))]);
        var (context, page) = await InstructorPageAsync();
        try
        {
            // Every instructor page: axe, and a screenshot at 1,366 px.
            await page.GotoAsync("/classes");
            await Axe.AssertNoSeriousViolationsAsync(page, "classes");
            await page.ScreenshotAsync(new() { Path = Path.Combine(_shots, "classes.png"), FullPage = true });
            await page.GotoAsync($"/classes/{setup.ClassId}");
            await Assertions.Expect(page.Locator("#sweeper-link")).ToBeVisibleAsync();
            await Axe.AssertNoSeriousViolationsAsync(page, "class");
            await page.ScreenshotAsync(new() { Path = Path.Combine(_shots, "class.png"), FullPage = true });
            await page.GotoAsync($"/classes/{setup.ClassId}/learners/{setup.StudentId("Minji")}");
            await Assertions.Expect(page.Locator(".steps-table").First).ToBeVisibleAsync();
            await Axe.AssertNoSeriousViolationsAsync(page, "learner");
            await page.ScreenshotAsync(new() { Path = Path.Combine(_shots, "learner.png"), FullPage = true });

            await page.GotoAsync($"/classes/{setup.ClassId}/dashboard");
            await Assertions.Expect(page.Locator("#reset-class")).ToBeEnabledAsync();
            // Lab 2's twelve steps scroll inside their grid; the page itself never gets wider than the screen.
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "The dashboard is wider than a 1,366 px screen.");
            var lab2Grid = page.Locator($"#matrix-{lab2.Id} .mud-table-container");
            Assert.True(await lab2Grid.EvaluateAsync<bool>("e => e.scrollWidth > e.clientWidth"), "Lab 2's grid should scroll sideways inside itself at 1,366 px.");
            await Axe.AssertNoSeriousViolationsAsync(page, "dashboard");
            await page.ScreenshotAsync(new() { Path = Path.Combine(_shots, "dashboard-1366.png"), FullPage = true });

            // Whether the progress bar was ever on screen, recorded by the page itself (it may be short-lived).
            await page.EvaluateAsync("() => { window.sawProgress = false; new MutationObserver(() => { if (document.getElementById('reset-progress')) window.sawProgress = true; }).observe(document.body, { childList: true, subtree: true }); }");
            await page.Locator("#reset-class").ClickAsync();
            var dialog = page.GetByRole(AriaRole.Dialog);
            await Assertions.Expect(dialog).ToContainTextAsync("3 run(s) of 3 learner(s) (Hana, Jisoo, Minji)");
            await Axe.AssertNoSeriousViolationsAsync(page, "reset dialog");
            await page.ScreenshotAsync(new() { Path = Path.Combine(_shots, "reset-dialog.png") });
            await dialog.Locator("#confirm-yes").ClickAsync();

            await Assertions.Expect(page.Locator("#reset-outcome")).ToHaveAttributeAsync("data-outcome", "all-gone", new() { Timeout = 90_000 });
            await Assertions.Expect(page.Locator("#reset-outcome")).ToContainTextAsync("all gone. 3 run(s) torn down");
            Assert.True(await page.EvaluateAsync<bool>("() => window.sawProgress"), "The reset's progress bar never showed.");
            Assert.Empty(await page.Locator("#reset-progress").AllAsync());
            var cells = page.Locator($"#matrix-{lab2.Id} [data-learner='{setup.StudentId("Minji")}']").Locator("xpath=ancestor::tr").Locator("[data-state]");
            Assert.Equal(lab2.Steps.Count, await cells.CountAsync());
            Assert.Equal(["TornDown"], (await cells.EvaluateAllAsync<string[]>("cells => cells.map(c => c.dataset.state)")).Distinct());
            await Axe.AssertNoSeriousViolationsAsync(page, "dashboard after the reset");
            await page.ScreenshotAsync(new() { Path = Path.Combine(_shots, "dashboard-reset-done.png"), FullPage = true });

            using var scope = _factory.Services.CreateScope();
            Assert.Equal(3, await scope.ServiceProvider.GetRequiredService<PortalDbContext>().LabRuns.CountAsync(r => r.Status == LabRunStatus.TornDown));
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(_shots, "reset-FAILED.png"), FullPage = true });
            throw;
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    private async Task<(IBrowserContext Context, IPage Page)> InstructorPageAsync()
    {
        var context = await _browser.OpenContextAsync(new BrowserNewContextOptions
        {
            BaseURL = _factory.ClientOptions.BaseAddress.ToString(),
            Locale = "en-US",
            ViewportSize = Laptop,
        });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.GetByLabel("User name").FillAsync(PortalFactory.InstructorUserName);
        await page.GetByLabel("Password").FillAsync(PortalFactory.InstructorPassword);
        await page.GetByLabel("Password").PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your classes" })).ToBeVisibleAsync();
        return (context, page);
    }
}
