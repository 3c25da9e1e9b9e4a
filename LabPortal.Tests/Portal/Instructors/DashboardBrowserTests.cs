using LabPortal.Infrastructure.Data;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace LabPortal.Tests.Portal.Instructors;

/// <summary>The dashboard in Chromium: htmx's SSE extension swaps the matrix when a step changes state, no reload.</summary>
[Trait("Category", "Browser")]
public sealed class DashboardBrowserTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private PortalFactory _factory = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _factory = new PortalFactory(_data.Path, new Dictionary<string, string?> { ["Instructors:DashboardIntervalMilliseconds"] = "200" });
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
    public async Task Matrix_cell_changes_in_the_open_page_when_the_step_finishes()
    {
        var setup = await ClassSetup.CreateInDatabaseAsync(_factory, "LIVE01", "Minji");
        var runId = await setup.AddRunAsync("Minji", "fixture-lab", DateTime.UtcNow, ("welcome", StepRunStatus.Succeeded), ("concepts", StepRunStatus.Running));
        var context = await _browser.OpenContextAsync(new BrowserNewContextOptions { BaseURL = _factory.ClientOptions.BaseAddress.ToString(), Locale = "en-US" });
        var page = await context.NewPageAsync();
        try
        {
            await page.GotoAsync("/account/login");
            await page.GetByLabel("User name").FillAsync(PortalFactory.InstructorUserName);
            await page.GetByLabel("Password").FillAsync(PortalFactory.InstructorPassword);
            await page.GetByLabel("Password").PressAsync("Enter");
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your classes" })).ToBeVisibleAsync();

            await page.GotoAsync($"/classes/{setup.ClassId}/dashboard");
            var cell = page.Locator($"#matrix-fixture-lab tr[data-learner='{setup.StudentId("Minji")}'] td[data-step='concepts']");
            await Assertions.Expect(cell).ToHaveTextAsync("running");

            await setup.ChangeAsync(async db =>
            {
                var step = await db.StepRuns.SingleAsync(s => s.LabRunId == runId && s.StepId == "concepts");
                step.Status = StepRunStatus.Succeeded;
                step.FinishedAtUtc = DateTime.UtcNow;
            });

            await Assertions.Expect(cell).ToHaveTextAsync("succeeded", new() { Timeout = 15_000 });
            await Assertions.Expect(cell).ToHaveAttributeAsync("data-state", "Succeeded");
            await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Directory, "instructor-dashboard.png"), FullPage = true });
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Directory, "instructor-dashboard-FAILED.png"), FullPage = true });
            throw;
        }
        finally
        {
            await context.CloseAsync();
        }
    }
}
