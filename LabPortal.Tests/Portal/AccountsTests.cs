using System.Net;
using LabPortal.Infrastructure.Data;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.Portal;

public class AccountsTests : IDisposable
{
    private readonly TempDirectory _data = new();
    private readonly PortalFactory _factory;

    public AccountsTests()
        : this(TestDatabase.Default)
    {
    }

    /// <summary>On <paramref name="database"/>, whatever the run's default (<see cref="AccountsOnPostgreSqlTests"/>).</summary>
    protected AccountsTests(TestDatabaseProvider database)
    {
        TestDatabase.Use(_data.Path, database);
        _factory = new PortalFactory(_data.Path, new Dictionary<string, string?> { ["Accounts:MaxFailedSignIns"] = "3" });
    }

    public void Dispose()
    {
        _factory.Dispose();
        _data.Dispose();
        GC.SuppressFinalize(this);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/classes")]
    [InlineData("/labs")]
    public async Task Protected_pages_redirect_to_login_when_anonymous(string path)
    {
        using var client = _factory.CreatePortalClient();
        var (response, _) = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Contains("ReturnUrl=" + Uri.EscapeDataString(path), response.Headers.Location!.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_page_is_served_in_Korean_when_browser_asks_for_Korean()
    {
        using var client = _factory.CreatePortalClient(acceptLanguage: "ko-KR,ko;q=0.9,en;q=0.5");
        var (response, page) = await client.GetAsync("/account/login");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ko", page.DocumentElement.GetAttribute("lang"));
        Assert.Equal("로그인", page.QuerySelector("h1")!.TextContent.Trim());
        Assert.Equal("사용자 이름", page.QuerySelector("label[for=username]")!.TextContent.Trim());
    }

    [Fact]
    public async Task Login_page_is_served_in_English_when_browser_asks_for_English()
    {
        using var client = _factory.CreatePortalClient(acceptLanguage: "en-US");
        var (_, page) = await client.GetAsync("/account/login");

        Assert.Equal("en", page.DocumentElement.GetAttribute("lang"));
        Assert.Equal("Sign in", page.QuerySelector("h1")!.TextContent.Trim());
    }

    [Fact]
    public async Task Language_cookie_overrides_Accept_Language()
    {
        using var client = _factory.CreatePortalClient(acceptLanguage: "en-US");
        var (switched, _) = await client.SubmitAsync("/account/login", "form[action='preferences/language']", new Dictionary<string, string> { ["culture"] = "ko" });
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);

        var (_, page) = await client.GetAsync("/account/login");
        Assert.Equal("로그인", page.QuerySelector("h1")!.TextContent.Trim());
    }

    [Fact]
    public async Task Instructor_sign_in_lands_on_the_class_list()
    {
        using var client = _factory.CreatePortalClient();
        var response = await client.SignInAsync(PortalFactory.InstructorUserName, PortalFactory.InstructorPassword);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        var (home, _) = await client.GetAsync(response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.EndsWith("/classes", home.Headers.Location!.OriginalString, StringComparison.Ordinal);

        var (classes, page) = await client.GetAsync("/classes");
        Assert.Equal(HttpStatusCode.OK, classes.StatusCode);
        Assert.Equal("Your classes", page.QuerySelector("h1")!.TextContent.Trim());
    }

    [Fact]
    public async Task Sign_in_with_a_wrong_password_shows_a_message_and_sets_no_cookie()
    {
        using var client = _factory.CreatePortalClient();
        var (response, page) = await client.SubmitAsync("/account/login", "#login-form", new Dictionary<string, string>
        {
            ["Input.UserName"] = PortalFactory.InstructorUserName,
            ["Input.Password"] = "not-the-password",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("wrong", page.QuerySelector("#login-error")!.TextContent, StringComparison.Ordinal);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("lp-auth=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Empty_sign_in_form_shows_messages_beside_both_fields()
    {
        using var client = _factory.CreatePortalClient();
        var (_, page) = await client.SubmitAsync("/account/login", "#login-form", new Dictionary<string, string>
        {
            ["Input.UserName"] = "",
            ["Input.Password"] = "",
        });

        Assert.Equal("Enter your user name.", page.QuerySelector("#username-error")!.TextContent.Trim());
        Assert.Equal("Enter your password.", page.QuerySelector("#password-error")!.TextContent.Trim());
        Assert.Equal("true", page.QuerySelector("#username")!.GetAttribute("aria-invalid"));
    }

    [Fact]
    public async Task Account_locks_after_repeated_failures_even_for_the_right_password()
    {
        using var client = _factory.CreatePortalClient();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            await client.SignInAsync(PortalFactory.InstructorUserName, "wrong-password");
        }

        var (response, page) = await client.SubmitAsync("/account/login", "#login-form", new Dictionary<string, string>
        {
            ["Input.UserName"] = PortalFactory.InstructorUserName,
            ["Input.Password"] = PortalFactory.InstructorPassword,
        });

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Contains("locked", page.QuerySelector("#login-error")!.TextContent, StringComparison.Ordinal);
        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var normalized = LabPortal.Infrastructure.Data.User.Normalize(PortalFactory.InstructorUserName);
        var user = await db.Users.SingleAsync(u => u.NormalizedUserName == normalized);
        Assert.True(user.LockoutEnd > DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task Form_post_without_antiforgery_token_is_refused_and_changes_nothing()
    {
        using var client = _factory.CreatePortalClient();
        await client.SignInAsInstructorAsync();

        var (response, _) = await client.SubmitAsync("/classes", "#create-class-form", new Dictionary<string, string>
        {
            ["Input.Name"] = "No token class",
            ["Input.JoinCode"] = "",
        }, includeAntiforgery: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var scope = _factory.Services.CreateScope();
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Classrooms.CountAsync());
    }

    [Fact]
    public async Task Sign_out_ends_the_session()
    {
        using var client = _factory.CreatePortalClient();
        await client.SignInAsInstructorAsync();

        var (signedOut, _) = await client.SubmitAsync("/classes", "form[action='account/logout']", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);

        var (after, _) = await client.GetAsync("/classes");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
    }

    [Fact]
    public async Task A_password_change_ends_the_other_sessions_and_keeps_this_one()
    {
        using var other = _factory.CreatePortalClient();
        await other.SignInAsInstructorAsync();
        using var client = _factory.CreatePortalClient();
        await client.SignInAsInstructorAsync();

        var (changed, _) = await client.SubmitAsync("/account/change-password", "#change-password-form", new Dictionary<string, string>
        {
            ["Input.CurrentPassword"] = PortalFactory.InstructorPassword,
            ["Input.NewPassword"] = "changed-password-2",
            ["Input.ConfirmPassword"] = "changed-password-2",
        });
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/classes")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await other.GetAsync("/classes")).Response.StatusCode);
    }

    [Fact]
    public async Task An_unknown_user_gets_the_answer_a_wrong_password_gets()
    {
        using var client = _factory.CreatePortalClient();
        var (wrong, wrongPage) = await client.SubmitAsync("/account/login", "#login-form", new Dictionary<string, string>
        {
            ["Input.UserName"] = PortalFactory.InstructorUserName,
            ["Input.Password"] = "not-the-password",
        });
        var (unknown, unknownPage) = await client.SubmitAsync("/account/login", "#login-form", new Dictionary<string, string>
        {
            ["Input.UserName"] = "nobody-by-this-name",
            ["Input.Password"] = "not-the-password",
        });

        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(wrong.StatusCode, unknown.StatusCode);
        Assert.Equal(wrongPage.QuerySelector("#login-error")!.TextContent, unknownPage.QuerySelector("#login-error")!.TextContent);
    }

    [Fact]
    public async Task A_sign_in_cookie_survives_a_restart_with_the_key_ring_in_the_database()
    {
        string cookie;
        using (var client = _factory.CreatePortalClient())
        {
            var signIn = await client.SignInAsync(PortalFactory.InstructorUserName, PortalFactory.InstructorPassword);
            cookie = signIn.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("lp-auth=", StringComparison.Ordinal));
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/classes")).Response.StatusCode);
        }

        _factory.Dispose();
        Assert.Empty(Directory.Exists(Path.Combine(_data.Path, "keys")) ? Directory.GetFiles(Path.Combine(_data.Path, "keys")) : []);
        using var restarted = new PortalFactory(_data.Path);
        using var http = restarted.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/classes");
        request.Headers.Add("Cookie", cookie);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Healthz_reports_database_and_job_server_healthy()
    {
        using var client = _factory.CreatePortalClient();
        var response = await client.Http.GetAsync("/healthz");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = System.Text.Json.JsonDocument.Parse(body);
        Assert.Equal("Healthy", json.RootElement.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("Healthy", json.RootElement.GetProperty("checks").GetProperty("jobs").GetProperty("status").GetString());
    }
}
