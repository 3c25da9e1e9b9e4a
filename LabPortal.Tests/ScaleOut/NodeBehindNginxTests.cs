using System.Net;
using System.Text.Json;
using LabPortal.Tests.E2E;
using LabPortal.Tests.Support;
using Microsoft.Playwright;

namespace LabPortal.Tests.ScaleOut;

/// <summary>
/// A portal node with <c>Sandbox:Enabled=false</c> pointing at the standalone sandbox process, behind nginx
/// (<c>deploy/nginx.conf</c>): a student joins and runs Lab 1's first steps in Chromium through nginx, the page's
/// circuit on nginx's WebSocket proxying; the learner's account and resources are in the standalone sandbox.
/// </summary>
[Trait("Category", "ScaleOut")]
public sealed class NodeBehindNginxTests : IAsyncLifetime
{
    private static readonly float StepLimit = 90_000;

    private ScaleOutCluster _cluster = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _cluster = await ScaleOutCluster.StartAsync(new ScaleOutOptions { Name = "one-node-behind-nginx", Nodes = 1 });
        (_playwright, _browser) = await Browser.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task Student_runs_Lab_1_first_steps_through_nginx_on_a_node_using_the_standalone_sandbox()
    {
        var nginx = _cluster.NginxUrl;
        var instructor = new PortalClient(new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new() }) { BaseAddress = nginx }, "en");
        var code = await Students.CreateClassAsync(instructor, "NODE" + Random.Shared.Next(1000, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture));

        // The node reports the standalone sandbox in its health report.
        using (var http = new HttpClient { BaseAddress = nginx })
        {
            var health = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
            var report = JsonDocument.Parse(await health.Content.ReadAsStringAsync()).RootElement;
            Assert.True(health.StatusCode == HttpStatusCode.OK, report.ToString());
            Assert.Contains(_cluster.Sandbox.Api.ToString(), report.GetProperty("checks").GetProperty("sandbox-standalone").GetProperty("description").GetString(), StringComparison.Ordinal);
        }

        var context = await _browser.OpenContextAsync(new BrowserNewContextOptions
        {
            BaseURL = nginx.ToString(),
            Locale = "en-US",
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        var sockets = new List<string>();
        page.WebSocket += (_, socket) => sockets.Add(socket.Url);
        try
        {
            await page.GotoAsync("/join");
            await Axe.AssertNoSeriousViolationsAsync(page, "join through nginx");
            await page.GetByLabel("Join code").FillAsync(code);
            await page.GetByLabel("Your name").FillAsync("Node Learner");
            await page.GetByLabel("Password", new() { Exact = true }).FillAsync("node-learner-password");
            await page.GetByLabel("Repeat the password").FillAsync("node-learner-password");
            await page.GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync();
            await Assertions.Expect(page.Locator("#lab-list[data-interactive=true]")).ToBeVisibleAsync();
            await Axe.AssertNoSeriousViolationsAsync(page, "labs through nginx");

            await page.Locator("#start-alb-two-web-servers").GetByRole(AriaRole.Button, new() { Name = "Start lab" }).ClickAsync();
            await ExpectStepAsync(page, "concepts");
            foreach (var question in Lab1Flow.Lab.Step("concepts")!.Quiz)
            {
                var answer = question.Choices.Single(c => c.Id == question.Answer).Text.En;
                await page.GetByRole(AriaRole.Group, new() { Name = question.Question.En })
                    .GetByRole(AriaRole.Radio, new() { Name = answer, Exact = true }).CheckAsync(new() { Force = true });
            }

            await Axe.AssertNoSeriousViolationsAsync(page, "concepts through nginx");
            await page.GetByRole(AriaRole.Button, new() { Name = "Check my answers" }).ClickAsync();

            await RunStepAsync(page, "security-group");
            // The CLI text names the standalone sandbox, not a sandbox of the node's own.
            Assert.Contains($"export AWS_ENDPOINT_URL={_cluster.Sandbox.Api.ToString().TrimEnd('/')}", await page.Locator("#cli").InnerTextAsync(), StringComparison.Ordinal);
            await page.Locator("#next-step").ClickAsync();
            await RunStepAsync(page, "instances");
        }
        catch (Exception e)
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Directory, "scaleout-node-behind-nginx-FAILED.png"), FullPage = true });
            throw new Xunit.Sdk.XunitException(e.Message + "\nprocesses:\n" + _cluster.Logs(), e);
        }
        finally
        {
            await context.CloseAsync();
        }

        // The circuit ran over nginx's WebSocket proxying, not to the node directly.
        Assert.Contains(sockets, url => url.StartsWith($"ws://{nginx.Authority}/_blazor", StringComparison.Ordinal));
        Assert.DoesNotContain(sockets, url => url.Contains(_cluster.NodeUrls[0].Authority, StringComparison.Ordinal));

        // The learner's account and what the steps made are in the standalone sandbox.
        using var admin = _cluster.SandboxAdmin();
        var learner = Assert.Single(await admin.ListAccountsAsync(), a => !a.IsPlayground);
        var owned = await admin.ListResourcesAsync(learner.AccountId);
        Assert.Contains(owned, r => r.ResourceType == "security-group");
        Assert.Equal(2, owned.Count(r => r.ResourceType == "instance"));
    }

    private static async Task ExpectStepAsync(IPage page, string stepId)
    {
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/steps/{stepId}$"));
        await Assertions.Expect(page.Locator("#step-title")).ToHaveTextAsync(Lab1Flow.Lab.Step(stepId)!.Title.En);
        await Assertions.Expect(page.Locator("#step-page")).ToHaveAttributeAsync("data-interactive", "true");
    }

    private static async Task RunStepAsync(IPage page, string stepId)
    {
        await ExpectStepAsync(page, stepId);
        await Axe.AssertNoSeriousViolationsAsync(page, stepId + " through nginx");
        await page.Locator("#run-step").ClickAsync();
        await Assertions.Expect(page.Locator("#step-status-text[data-state=done], #step-status-text[data-state=failed]")).ToBeVisibleAsync(new() { Timeout = StepLimit });
        Assert.Equal("done", await page.Locator("#step-status-text").GetAttributeAsync("data-state"));
    }
}
