using Amazon.EC2.Model;
using LabPortal.Infrastructure.Audit;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Tests.Portal.Instructors;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LabPortal.Tests.E2E.Cleanup;

/// <summary>
/// The sweeper page on MudBlazor in Chromium (issue 13): an accessibility scan, a stray instance
/// chosen, the dialog naming it, deleted only after "Delete" in the dialog.
/// </summary>
[Trait("Category", "Browser")]
public sealed class SweeperPageBrowserTests : IAsyncLifetime
{
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
    public async Task Sweeper_page_deletes_a_chosen_stray_only_after_the_dialog_that_names_it()
    {
        var setup = await ClassSetup.CreateInDatabaseAsync(_factory, "SWPAGE", "Hana");
        AwsClients clients;
        using (var scope = _factory.Services.CreateScope())
        {
            var cloud = scope.ServiceProvider.GetRequiredService<LearnerCloud>();
            clients = cloud.SandboxClients(await cloud.SandboxAccountForUserAsync(setup.StudentId("Hana")), "ap-northeast-2");
        }

        var image = (await clients.Ec2.DescribeImagesAsync(new DescribeImagesRequest { Owners = ["amazon"], Filters = [new Filter { Name = "name", Values = ["al2023-ami-2023.6.20241121.0-kernel-6.1-x86_64"] }] })).Images![0].ImageId!;
        var stray = (await clients.Ec2.RunInstancesAsync(new RunInstancesRequest { ImageId = image, InstanceType = "t3.micro", MinCount = 1, MaxCount = 1 })).Reservation.Instances![0].InstanceId!;

        var context = await _browser.OpenContextAsync(new BrowserNewContextOptions { BaseURL = _factory.ClientOptions.BaseAddress.ToString(), Locale = "en-US" });
        var page = await context.NewPageAsync();
        try
        {
            await page.GotoAsync("/account/login");
            await page.GetByLabel("User name").FillAsync(PortalFactory.InstructorUserName);
            await page.GetByLabel("Password").FillAsync(PortalFactory.InstructorPassword);
            await page.GetByLabel("Password").PressAsync("Enter");
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your classes" })).ToBeVisibleAsync();

            await page.GotoAsync($"/classes/{setup.ClassId}/orphans");
            var row = page.Locator($"#orphans tr[data-resource='{stray}']");
            await Assertions.Expect(row).ToBeVisibleAsync();
            // The trail names the class it belongs to and leads back to it.
            var trail = page.GetByRole(AriaRole.Navigation, new() { Name = "Breadcrumb" });
            await Assertions.Expect(trail.GetByRole(AriaRole.Link, new() { Name = "Class SWPAGE" })).ToHaveAttributeAsync("href", $"classes/{setup.ClassId}");
            await Assertions.Expect(page.Locator("#orphans .learner-group")).ToHaveTextAsync("Hana (1)");
            await Axe.AssertNoSeriousViolationsAsync(page, "orphans");

            // Chosen, then cancelled in the dialog: still there.
            await Assertions.Expect(page.Locator("#delete-selected")).ToBeDisabledAsync();
            await row.GetByLabel(stray).CheckAsync();
            await page.Locator("#delete-selected").ClickAsync();
            await Assertions.Expect(page.Locator($"#confirm-resources li[data-resource='{stray}']")).ToBeVisibleAsync();
            await Axe.AssertNoSeriousViolationsAsync(page, "orphans dialog");
            await page.Locator("#confirm-cancel").ClickAsync();
            await Assertions.Expect(page.Locator("#confirm-resources")).ToHaveCountAsync(0);
            Assert.Equal("running", await StateAsync(clients, stray));

            // Confirmed: deleted, the page says so and offers nothing more.
            await page.Locator("#delete-selected").ClickAsync();
            await page.Locator("#confirm-yes").ClickAsync();
            await Assertions.Expect(page.Locator("#orphan-status")).ToContainTextAsync("Deleted", new() { Timeout = 30_000 });
            // A count, then what happened to each resource: "Deleted" once, not in the title and again in the text.
            var status = await page.Locator("#orphan-status").InnerTextAsync();
            Assert.StartsWith("1 deleted: Deleted ", status.Trim(), StringComparison.Ordinal);
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(status, "Deleted"));
            await Assertions.Expect(page.Locator("#no-orphans")).ToBeVisibleAsync();
            Assert.Contains(await StateAsync(clients, stray), new[] { "shutting-down", "terminated" });
            var audit = await PortalState.ReadAsync(_factory, db => db.Audit.SingleAsync(a => a.Action == AuditActions.OrphanDeleted));
            Assert.Contains(stray, audit.Detail, StringComparison.Ordinal);
            await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Directory, "sweeper-page.png"), FullPage = true });
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Directory, "sweeper-page-FAILED.png"), FullPage = true });
            throw;
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    private static async Task<string> StateAsync(AwsClients clients, string instanceId) =>
        (await clients.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [instanceId] })).Reservations![0].Instances![0].State!.Name!.Value;
}
