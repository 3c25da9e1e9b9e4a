using System.Net;
using LabPortal.Features.Accounts;
using LabPortal.Infrastructure.Data;
using LabPortal.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.Portal;

public sealed class InitialInstructorTests
{
    [Fact]
    public async Task Without_a_configured_password_a_one_time_password_is_written_and_must_be_changed()
    {
        using var data = new TempDirectory();
        using var factory = new PortalFactory(data.Path, new Dictionary<string, string?> { ["Accounts:InitialInstructorPassword"] = "" });
        using var client = factory.CreatePortalClient();
        _ = factory.Services; // starts the host, which seeds the instructor

        var file = Path.Combine(data.Path, InitialInstructorSeeder.PasswordFileName);
        Assert.True(File.Exists(file));
        // Labelled lines: what each value is, in both languages.
        var lines = await File.ReadAllLinesAsync(file);
        Assert.Contains("administrator", lines[0], StringComparison.Ordinal);
        Assert.Contains("관리자", lines[0], StringComparison.Ordinal);
        Assert.Equal(PortalFactory.InstructorUserName, Labelled(lines, InitialInstructorSeeder.UserNameLabel));
        var oneTimePassword = Labelled(lines, InitialInstructorSeeder.PasswordLabel);
        Assert.Equal(16, oneTimePassword.Length);

        var signedIn = await client.SignInAsync(PortalFactory.InstructorUserName, oneTimePassword);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.EndsWith("account/change-password", signedIn.Headers.Location!.OriginalString, StringComparison.Ordinal);

        // Every other page leads back to the change form until the password is changed.
        var (classes, _) = await client.GetAsync("/classes");
        Assert.Equal(HttpStatusCode.Redirect, classes.StatusCode);
        Assert.Equal("/account/change-password", classes.Headers.Location!.OriginalString);

        // The one-time password was typed to sign in a moment ago: the forced change does not ask for it again.
        var (form, formPage) = await client.GetAsync("/account/change-password");
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.Null(formPage.QuerySelector("#change-password-form [name='Input.CurrentPassword']"));
        Assert.NotNull(formPage.QuerySelector("#change-password-form [name='Input.NewPassword']"));

        var (changed, _) = await client.SubmitAsync("/account/change-password", "#change-password-form", new Dictionary<string, string>
        {
            ["Input.NewPassword"] = "a-brand-new-password",
            ["Input.ConfirmPassword"] = "a-brand-new-password",
        });
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.False(File.Exists(file));

        var (afterChange, _) = await client.GetAsync("/classes");
        Assert.Equal(HttpStatusCode.OK, afterChange.StatusCode);

        using var other = factory.CreatePortalClient();
        Assert.Equal(HttpStatusCode.BadRequest, (await other.SignInAsync(PortalFactory.InstructorUserName, oneTimePassword)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await other.SignInAsync(PortalFactory.InstructorUserName, "a-brand-new-password")).StatusCode);

        // Once changed, a change asks for the current password again.
        var (next, nextPage) = await other.GetAsync("/account/change-password");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.NotNull(nextPage.QuerySelector("#change-password-form [name='Input.CurrentPassword']"));
    }

    [Fact]
    public async Task The_first_account_is_an_administrator_and_an_instructor()
    {
        using var data = new TempDirectory();
        using var factory = new PortalFactory(data.Path);
        using var scope = factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();

        var first = await users.FindByNameAsync(PortalFactory.InstructorUserName);
        Assert.NotNull(first);
        Assert.Equal([Roles.Administrator, Roles.Instructor], (await users.GetRolesAsync(first)).Order(StringComparer.Ordinal).ToList());
        Assert.Single(await users.GetUsersInRoleAsync(Roles.Administrator));
    }

    [Fact]
    public async Task A_forced_change_refuses_a_short_password_and_keeps_the_one_time_one()
    {
        using var data = new TempDirectory();
        using var factory = new PortalFactory(data.Path, new Dictionary<string, string?> { ["Accounts:InitialInstructorPassword"] = "" });
        using var client = factory.CreatePortalClient();
        _ = factory.Services;
        var oneTimePassword = Labelled(await File.ReadAllLinesAsync(Path.Combine(data.Path, InitialInstructorSeeder.PasswordFileName)), InitialInstructorSeeder.PasswordLabel);
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(PortalFactory.InstructorUserName, oneTimePassword)).StatusCode);

        var (refused, page) = await client.SubmitAsync("/account/change-password", "#change-password-form", new Dictionary<string, string>
        {
            ["Input.NewPassword"] = "short",
            ["Input.ConfirmPassword"] = "short",
        });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.NotEmpty(page.QuerySelector("#new-error")!.TextContent.Trim());
        using var other = factory.CreatePortalClient();
        var again = await other.SignInAsync(PortalFactory.InstructorUserName, oneTimePassword);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.EndsWith("account/change-password", again.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    private static string Labelled(string[] lines, string label) =>
        lines.Single(line => line.StartsWith(label, StringComparison.Ordinal))[label.Length..];

    [Fact]
    public async Task Changing_password_with_a_wrong_current_password_changes_nothing()
    {
        using var data = new TempDirectory();
        using var factory = new PortalFactory(data.Path);
        using var client = factory.CreatePortalClient();
        await client.SignInAsInstructorAsync();

        var (response, page) = await client.SubmitAsync("/account/change-password", "#change-password-form", new Dictionary<string, string>
        {
            ["Input.CurrentPassword"] = "not-the-current-one",
            ["Input.NewPassword"] = "another-password",
            ["Input.ConfirmPassword"] = "another-password",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("The current password is wrong.", page.QuerySelector("#current-error")!.TextContent.Trim());
        using var other = factory.CreatePortalClient();
        Assert.Equal(HttpStatusCode.Redirect, (await other.SignInAsync(PortalFactory.InstructorUserName, PortalFactory.InstructorPassword)).StatusCode);
    }

    [Fact]
    public async Task A_restart_keeps_the_instructor_and_generates_no_new_password()
    {
        using var data = new TempDirectory();
        using (var first = new PortalFactory(data.Path, new Dictionary<string, string?> { ["Accounts:InitialInstructorPassword"] = "" }))
        {
            _ = first.Services;
        }

        var file = Path.Combine(data.Path, InitialInstructorSeeder.PasswordFileName);
        var original = await File.ReadAllTextAsync(file);
        using var second = new PortalFactory(data.Path, new Dictionary<string, string?> { ["Accounts:InitialInstructorPassword"] = "" });
        _ = second.Services;

        Assert.Equal(original, await File.ReadAllTextAsync(file));
    }
}
