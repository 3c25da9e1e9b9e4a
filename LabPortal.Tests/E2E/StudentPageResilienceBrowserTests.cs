using System.Net;
using System.Net.Sockets;
using LabPortal.Tests.E2E.Cleanup;
using LabPortal.Tests.Support;
using Microsoft.Playwright;

namespace LabPortal.Tests.E2E;

/// <summary>
/// The student's wizard where real life gets in the way, in Chromium against the portal in the
/// Development environment (as <c>dotnet run</c> starts it): the portal goes away and comes back
/// while a Korean student has a step open, and a student works on a 390 px wide phone.
/// </summary>
[Trait("Category", "Browser")]
public sealed class StudentPageResilienceBrowserTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new("labportal-resilience");
    private readonly string _shots = Path.Combine(Artifacts.Directory, "student-resilience");
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_shots);
        (_playwright, _browser) = await Browser.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        _data.Dispose();
    }

    [Fact]
    public async Task Connection_lost_shows_the_reconnect_message_in_Korean_and_after_a_restart_the_page_is_back_on_the_same_step()
    {
        // The same address before and after the restart, as for a real portal.
        var port = FreePort();
        var first = Start(port);
        var code = await Students.CreateClassAsync(Client(first), "RECON" + Random.Shared.Next(100, 999).ToString(System.Globalization.CultureInfo.InvariantCulture));
        using (await Students.JoinAsync(Client(first), code, "Reconnect Learner"))
        {
        }

        var context = await _browser.OpenContextAsync(new BrowserNewContextOptions { BaseURL = $"http://127.0.0.1:{port}/", Locale = "ko-KR", TimezoneId = "Asia/Seoul" });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        await SignInAsync(page, "Reconnect Learner");
        await page.Locator("#start-alb-two-web-servers button").ClickAsync();
        await ExpectStepAsync(page, "concepts");
        foreach (var question in Lab1Flow.Lab.Step("concepts")!.Quiz)
        {
            var answer = question.Choices.Single(c => c.Id == question.Answer).Text.Ko;
            await page.GetByRole(AriaRole.Group, new() { Name = question.Question.Ko })
                .GetByRole(AriaRole.Radio, new() { Name = answer, Exact = true }).CheckAsync(new() { Force = true });
        }

        await page.Locator("#check-answers").ClickAsync();
        await ExpectStepAsync(page, "security-group");
        var stepUrl = page.Url;

        // The portal stops: the page says so, in Korean, instead of freezing.
        await first.DisposeAsync();
        var modal = page.Locator("#components-reconnect-modal");
        await Assertions.Expect(modal).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#lp-reconnect-text")).ToHaveTextAsync("포털과의 연결이 끊겼습니다. 다시 연결하는 중…");
        await Assertions.Expect(modal).ToHaveAttributeAsync("role", "alertdialog");
        await page.ScreenshotAsync(new() { Path = Path.Combine(_shots, "01-connection-lost.png") });

        // It comes back on the same data folder: the page returns to the same run and step, from the database.
        await using var second = Start(port);
        // The old circuit died with the portal: once the portal answers again it refuses to resume it,
        // and the page says why and offers the way back.
        var rejected = page.Locator("#components-reconnect-modal p.lp-reconnect-rejected");
        var title = page.Locator("#step-title");
        await Assertions.Expect(rejected).ToBeVisibleAsync(new() { Timeout = 90_000 });
        await Assertions.Expect(rejected).ToHaveTextAsync("포털이 다시 시작되었습니다. 페이지를 새로 고치면 같은 단계로 돌아옵니다.");
        await page.ScreenshotAsync(new() { Path = Path.Combine(_shots, "02-portal-restarted.png") });
        await page.GetByRole(AriaRole.Button, new() { Name = "새로 고침" }).ClickAsync();

        await ExpectStepAsync(page, "security-group");
        Assert.Equal(stepUrl, page.Url);
        await Assertions.Expect(title).ToHaveTextAsync(Lab1Flow.Lab.Step("security-group")!.Title.Ko);
        await Assertions.Expect(modal).Not.ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(_shots, "03-back-on-the-step.png") });
        await Axe.AssertNoSeriousViolationsAsync(page, "step after restart");
        await context.DisposeAsync();
    }

    [Fact]
    public async Task On_a_390_px_phone_the_wizard_and_live_panel_fit_the_screen_and_the_menu_folds_away()
    {
        await using var factory = Start(FreePort());
        var code = await Students.CreateClassAsync(Client(factory), "PHONE" + Random.Shared.Next(100, 999).ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var student = await Students.JoinAsync(Client(factory), code, "Phone Learner");
        var driver = await LabDriver.StartAsync(factory, student, Lab1Flow.ShippedLabs, "alb-two-web-servers");
        await driver.FinishAllButTeardownAsync();

        var context = await _browser.OpenContextAsync(new BrowserNewContextOptions
        {
            BaseURL = factory.ClientOptions.BaseAddress.ToString(),
            Locale = "en-US",
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            IsMobile = true,
            HasTouch = true,
        });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        await SignInAsync(page, "Phone Learner");

        foreach (var (path, name) in new[] { ($"{driver.RunUrl.TrimStart('/')}/steps/verify-traffic", "step"), ($"runs/{driver.RunId}/live", "live-panel") })
        {
            await page.GotoAsync(path);
            if (name == "step")
            {
                await ExpectStepAsync(page, "verify-traffic");
                await Assertions.Expect(page.Locator("#step-title")).ToBeInViewportAsync();
            }
            else
            {
                await Assertions.Expect(page.Locator("#panel-targets .lp-badge").First).ToBeVisibleAsync();
                var panel = await page.Locator("#live-panel").BoundingBoxAsync();
                Assert.True(panel is { X: >= 0 } && panel.X + panel.Width <= 390.5, $"The live panel spans {panel?.X}..{panel?.X + panel?.Width} px of a 390 px screen.");
            }

            await page.ScreenshotAsync(new() { Path = Path.Combine(_shots, $"390-{name}.png"), FullPage = true });

            // Nothing wider than the screen: no sideways scrolling.
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 0, $"{name}: the page is {overflow} px wider than the 390 px screen.");

            // The app bar's buttons keep their words on one line (no "한국/어" or "Sign/out").
            foreach (var button in await page.Locator("header .lp-appbar-button").AllAsync())
            {
                var box = await button.BoundingBoxAsync();
                Assert.True(box is { Height: <= 36 } && box.X + box.Width <= 390.5, $"{name}: the app bar button '{await button.InnerTextAsync()}' wraps or overflows ({box?.Width} x {box?.Height} px at {box?.X}).");
            }

            await Axe.AssertNoSeriousViolationsAsync(page, $"390 px {name}");
            if (name == "step")
            {
                // The navigation drawer is folded away until the menu button opens it.
                var labs = page.Locator("nav[aria-label=Main]").GetByRole(AriaRole.Link, new() { Name = "Labs" });
                Assert.False(await OnScreenAsync(labs), $"{name}: the navigation drawer covers the page on a phone.");
                await page.GetByRole(AriaRole.Button, new() { Name = "Menu" }).ClickAsync();
                await page.WaitForFunctionAsync("() => { const r = document.querySelector('nav[aria-label=Main] a[href=\"labs\"]')?.getBoundingClientRect(); return r && r.width > 0 && r.left >= 0 && r.right <= window.innerWidth; }");
            }
            else
            {
                // The panel's own light layout has no drawer: the way back to the lab is its first link.
                await Assertions.Expect(page.Locator("#back-to-lab")).ToBeInViewportAsync();
            }
        }

        await context.DisposeAsync();
    }

    private PortalFactory Start(int port)
    {
        var factory = new PortalFactory(_data.Path, PortalFactory.OnSandbox(new Dictionary<string, string?> { ["LivePanel:IntervalMilliseconds"] = "500" }))
        { Environment = "Development" };
        factory.UseKestrel(port);
        factory.StartServer();
        return factory;
    }

    /// <summary>A client of the real (Kestrel) server, with the in-process services for the wizard driver.</summary>
    private static PortalClient Client(PortalFactory factory) =>
        new(new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new() }) { BaseAddress = factory.ClientOptions.BaseAddress }, "en", factory.Services);

    private static async Task SignInAsync(IPage page, string name)
    {
        await page.GotoAsync("account/login");
        await page.Locator("#username").FillAsync(name);
        await page.Locator("#password").FillAsync(name + "-password");
        await page.Locator("#login-form button[type=submit]").ClickAsync();
        await page.WaitForURLAsync("**/labs");
    }

    private static async Task ExpectStepAsync(IPage page, string stepId)
    {
        await page.WaitForURLAsync($"**/steps/{stepId}", new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("#step-page")).ToHaveAttributeAsync("data-interactive", "true", new() { Timeout = 60_000 });
    }

    private static async Task<bool> OnScreenAsync(ILocator locator)
    {
        if (!await locator.IsVisibleAsync())
        {
            return false;
        }

        var box = await locator.BoundingBoxAsync();
        return box is not null && box.X + box.Width > 0 && box.X < 390;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
