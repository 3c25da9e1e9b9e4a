using LabPortal.Tests.Support;
using Microsoft.Playwright;

namespace LabPortal.Tests.E2E;

[Trait("Category", "Browser")]
public sealed class SignInBrowserTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private PortalFactory _factory = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _factory = new PortalFactory(_data.Path);
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
    public async Task Instructor_signs_in_with_the_keyboard_and_reaches_the_class_list()
    {
        var context = await _browser.OpenContextAsync(new BrowserNewContextOptions { BaseURL = _factory.ClientOptions.BaseAddress.ToString(), Locale = "en-US" });
        var page = await context.NewPageAsync();
        try
        {
            await page.GotoAsync("/");
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();

            await page.GetByLabel("User name").FillAsync(PortalFactory.InstructorUserName);
            await page.GetByLabel("Password").FillAsync(PortalFactory.InstructorPassword);
            await page.GetByLabel("Password").PressAsync("Enter");

            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your classes" })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Classes" })).ToBeVisibleAsync();
            await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Directory, "sign-in-class-list.png"), FullPage = true });
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Directory, "sign-in-FAILED.png"), FullPage = true });
            throw;
        }
        finally
        {
            await context.CloseAsync();
        }
    }
}
