using System.Net;
using LabPortal.Features.Accounts;
using LabPortal.Tests.Support;

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
        var lines = await File.ReadAllLinesAsync(file);
        Assert.Equal(PortalFactory.InstructorUserName, lines[0]);
        var oneTimePassword = lines[1];
        Assert.Equal(16, oneTimePassword.Length);

        var signedIn = await client.SignInAsync(PortalFactory.InstructorUserName, oneTimePassword);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.EndsWith("account/change-password", signedIn.Headers.Location!.OriginalString, StringComparison.Ordinal);

        // Every other page leads back to the change form until the password is changed.
        var (classes, _) = await client.GetAsync("/classes");
        Assert.Equal(HttpStatusCode.Redirect, classes.StatusCode);
        Assert.Equal("/account/change-password", classes.Headers.Location!.OriginalString);

        var (changed, _) = await client.SubmitAsync("/account/change-password", "#change-password-form", new Dictionary<string, string>
        {
            ["Input.CurrentPassword"] = oneTimePassword,
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
    }

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
