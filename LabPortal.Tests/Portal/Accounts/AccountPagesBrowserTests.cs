using LabPortal.Tests.Portal.Instructors;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LabPortal.Tests.Portal.Accounts;

/// <summary>
/// The account pages of issue 16 in Chromium (Development environment, free ports), as their users meet them:
/// the administrator invites an instructor and issues a student's one-time password, the invitee chooses a
/// password, a co-teacher is added, the student changes the one-time password. Every page state passes axe.
/// </summary>
[Trait("Category", "Browser")]
public sealed class AccountPagesBrowserTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private PortalFactory _factory = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        // Open pages check their session every second here (30 s by default), so the disabled student's page ends quickly.
        _factory = new PortalFactory(_data.Path, new Dictionary<string, string?> { ["Accounts:CircuitRevalidationInterval"] = "00:00:01" }) { Environment = "Development" };
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
    public async Task Invitation_co_teacher_and_one_time_password_pages_work_in_a_browser_and_pass_axe()
    {
        var setup = await ClassSetup.CreateInDatabaseAsync(_factory, "AXE016", "Minji");
        var admin = await SignedInAsync(PortalFactory.InstructorUserName, PortalFactory.InstructorPassword);
        await admin.GotoAsync("/admin/accounts");
        await Axe.AssertNoSeriousViolationsAsync(admin, "accounts");

        // An invitation: its link is shown once, in a labelled field.
        await admin.Locator("#invite-username").FillAsync("park.teacher");
        await admin.Locator("#invite-display-name").FillAsync("Park Jiwoo");
        await admin.Locator("#invite-form").GetByRole(AriaRole.Button).ClickAsync();
        var link = await admin.GetByLabel("Invitation link").InputValueAsync();
        Assert.Contains("/account/invitation/", link, StringComparison.Ordinal);
        await Axe.AssertNoSeriousViolationsAsync(admin, "accounts with an invitation link");

        // A student's one-time password, shown once.
        await admin.Locator("#reset-username").FillAsync("Minji");
        await admin.Locator("#reset-form").GetByRole(AriaRole.Button).ClickAsync();
        var oneTime = await admin.GetByLabel("One-time password").InputValueAsync();
        Assert.False(string.IsNullOrWhiteSpace(oneTime));
        await Axe.AssertNoSeriousViolationsAsync(admin, "accounts with a one-time password");

        // The invitee chooses a password and lands on their (empty) class list.
        var invitee = await NewPageAsync();
        await invitee.GotoAsync(link);
        await Axe.AssertNoSeriousViolationsAsync(invitee, "invitation");
        await invitee.Locator("#password").FillAsync("park-chose-this-1");
        await invitee.Locator("#confirm").FillAsync("park-chose-this-1");
        await invitee.Locator("#invitation-form").GetByRole(AriaRole.Button).ClickAsync();
        await Assertions.Expect(invitee.GetByRole(AriaRole.Heading, new() { Name = "Your classes" })).ToBeVisibleAsync();

        // The administrator adds them as a co-teacher of the class.
        await admin.GotoAsync($"/classes/{setup.ClassId}/instructors");
        await Axe.AssertNoSeriousViolationsAsync(admin, "co-teachers");
        await admin.Locator("#co-teacher").FillAsync("park.teacher");
        await admin.Locator("#co-teacher-form").GetByRole(AriaRole.Button).ClickAsync();
        await Assertions.Expect(admin.Locator("#added-message")).ToBeVisibleAsync();
        await Assertions.Expect(admin.Locator("#instructors-table")).ToContainTextAsync("park.teacher");
        await Axe.AssertNoSeriousViolationsAsync(admin, "co-teachers after adding one");

        // The student signs in with the one-time password and must choose a new one, without typing it again.
        var student = await NewPageAsync();
        await student.GotoAsync("/account/login");
        await student.GetByLabel("User name").FillAsync("Minji");
        await student.GetByLabel("Password").FillAsync(oneTime);
        await student.GetByLabel("Password").PressAsync("Enter");
        await Assertions.Expect(student.Locator("#change-password-form")).ToBeVisibleAsync();
        Assert.Equal(0, await student.Locator("#current").CountAsync());
        await Axe.AssertNoSeriousViolationsAsync(student, "forced password change");
    }

    [Fact]
    public async Task A_disabled_students_open_interactive_page_ends_and_leads_to_sign_in()
    {
        var setup = await ClassSetup.CreateInDatabaseAsync(_factory, "OFF016", "Jisoo");
        var student = await NewPageAsync();
        await student.GotoAsync("/account/login");
        await student.GetByLabel("User name").FillAsync("Jisoo");
        await student.GetByLabel("Password").FillAsync("Jisoo-password");
        await student.GetByLabel("Password").PressAsync("Enter");
        await student.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));
        await student.GotoAsync("/labs");
        await Assertions.Expect(student.Locator("#lab-list[data-interactive=true]")).ToBeVisibleAsync();

        using (var scope = _factory.Services.CreateScope())
        {
            var admin = scope.ServiceProvider.GetRequiredService<LabPortal.Features.Accounts.AccountAdminService>();
            var administratorId = await scope.ServiceProvider.GetRequiredService<LabPortal.Infrastructure.Data.PortalDbContext>().Users
                .Where(u => u.UserName == PortalFactory.InstructorUserName).Select(u => u.Id).SingleAsync();
            Assert.True((await admin.SetDisabledAsync(administratorId, new LabPortal.Features.Accounts.AccountStatusInput { UserId = setup.StudentId("Jisoo"), Disable = true })).Succeeded);
        }

        // No request from the page: its circuit finds the session ended and the route leads to the sign-in page.
        await student.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal));
        await Assertions.Expect(student.GetByLabel("User name")).ToBeVisibleAsync();
    }

    private async Task<IPage> NewPageAsync()
    {
        var context = await _browser.OpenContextAsync(new BrowserNewContextOptions { BaseURL = _factory.ClientOptions.BaseAddress.ToString(), Locale = "en-US" });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    private async Task<IPage> SignedInAsync(string userName, string password)
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.GetByLabel("User name").FillAsync(userName);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByLabel("Password").PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your classes" })).ToBeVisibleAsync();
        return page;
    }
}
