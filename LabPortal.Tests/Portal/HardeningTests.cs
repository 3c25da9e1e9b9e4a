using System.Net;
using LabPortal.Infrastructure.Web;
using LabPortal.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LabPortal.Tests.Portal;

/// <summary>The web hardening points of the security review (2026-12-07): redirects, 500s, sign-out, headers.</summary>
public sealed class HardeningTests : IDisposable
{
    private readonly TempDirectory _data = new();
    private readonly PortalFactory _factory;

    public HardeningTests()
    {
        _factory = new PortalFactory(_data.Path);
    }

    public void Dispose()
    {
        _factory.Dispose();
        _data.Dispose();
    }

    /// <summary>Values a browser would follow off the site, raw and percent-encoded (tabs and newlines are stripped, a backslash is a slash).</summary>
    public static TheoryData<string> LeavingTheSite => new()
    {
        "/\t/evil.example/",
        "/%09/evil.example/",
        "/\n/evil.example/",
        "/%0A/evil.example/",
        "/\r\n/evil.example/",
        "/\\evil.example/",
        "/%5Cevil.example/",
        "/%5cevil.example/",
        "//evil.example/",
        "/%2F/evil.example/",
        "/%2fevil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        " /evil",
        "evil.example",
    };

    [Theory]
    [MemberData(nameof(LeavingTheSite))]
    public async Task A_return_url_that_would_leave_the_site_sends_the_user_home_instead(string returnUrl)
    {
        using var client = _factory.CreatePortalClient();
        foreach (var (form, field, value) in new[] { ("language", "culture", "ko"), ("theme", "theme", "dark") })
        {
            var response = await PostPreferenceAsync(client, form, field, value, returnUrl);

            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/", response.Headers.Location!.OriginalString);
        }
    }

    [Fact]
    public async Task A_local_return_url_with_a_query_is_followed()
    {
        using var client = _factory.CreatePortalClient();

        var response = await PostPreferenceAsync(client, "language", "culture", "en", "/labs?from=menu");

        Assert.Equal("/labs?from=menu", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task No_return_url_makes_the_portal_answer_500()
    {
        // Every control character in three positions, broken escapes, long and non-ASCII values.
        var values = new List<string> { "%", "%zz", "/%E0%A4%A", "/%", new string('/', 5000), "/" + new string('a', 20000), "/한국어/경로", "/\uFFFF", "/\uD800" };
        for (var c = 0; c < 0x20; c++)
        {
            var ch = (char)c;
            values.AddRange([$"{ch}/labs", $"/{ch}labs", $"/labs{ch}"]);
        }

        values.Add("/labs\u007F");
        using var client = _factory.CreatePortalClient();
        var answers = new List<string>();
        foreach (var value in values)
        {
            var preference = await PostPreferenceAsync(client, "theme", "theme", "light", value);
            answers.Add($"{(int)preference.StatusCode} {preference.Headers.Location?.OriginalString}");
            Assert.True(preference.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.BadRequest, $"returnUrl {Escape(value)} answered {(int)preference.StatusCode}.");
            Assert.True(preference.StatusCode != HttpStatusCode.Redirect || LocalUrl.IsSafe(preference.Headers.Location!.OriginalString), $"returnUrl {Escape(value)} redirected to {preference.Headers.Location}.");

            var login = await client.Http.GetAsync("/account/login?returnUrl=" + Uri.EscapeDataString(value));
            Assert.True(login.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"login with returnUrl {Escape(value)} answered {(int)login.StatusCode}.");
        }

        Assert.Equal(values.Count, answers.Count);
    }

    [Fact]
    public async Task Signing_in_with_a_return_url_off_the_site_lands_on_the_home_page()
    {
        using var client = _factory.CreatePortalClient();

        var (response, _) = await client.SubmitAsync("/account/login?returnUrl=" + Uri.EscapeDataString("/\t/evil.example/"), "#login-form", new Dictionary<string, string>
        {
            ["Input.UserName"] = PortalFactory.InstructorUserName,
            ["Input.Password"] = PortalFactory.InstructorPassword,
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var landing = new Uri(client.Http.BaseAddress!, response.Headers.Location!);
        Assert.Equal(client.Http.BaseAddress!.Authority, landing.Authority);
        Assert.Equal("/", landing.PathAndQuery);
    }

    [Fact]
    public async Task Sign_out_without_the_antiforgery_token_is_refused_and_the_session_goes_on()
    {
        using var client = _factory.CreatePortalClient();
        await client.SignInAsInstructorAsync();

        var (refused, _) = await client.SubmitAsync("/classes", "form[action='account/logout']", new Dictionary<string, string>(), includeAntiforgery: false);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var (still, _) = await client.GetAsync("/classes");
        Assert.Equal(HttpStatusCode.OK, still.StatusCode);
    }

    [Fact]
    public async Task After_sign_out_a_copy_of_the_old_cookie_no_longer_signs_anyone_in()
    {
        using var client = _factory.CreatePortalClient();
        var signIn = await client.SignInAsync(PortalFactory.InstructorUserName, PortalFactory.InstructorPassword);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("lp-auth=", StringComparison.Ordinal));
        using var copy = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        copy.DefaultRequestHeaders.Add("Cookie", cookie);
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/classes")).StatusCode);

        var (signedOut, _) = await client.SubmitAsync("/classes", "form[action='account/logout']", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);

        var replayed = await copy.GetAsync("/classes");
        Assert.Equal(HttpStatusCode.Redirect, replayed.StatusCode);
        Assert.StartsWith("/account/login", new Uri(copy.BaseAddress!, replayed.Headers.Location!).PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_kind_of_response_carries_the_four_security_headers()
    {
        using var anonymous = _factory.CreatePortalClient();
        var code = await Students.CreateClassAsync(_factory, "HDRS01");
        using var instructor = _factory.CreatePortalClient();
        await instructor.SignInAsInstructorAsync();
        using var student = await Students.JoinAsync(_factory, code, "Header Student");

        var responses = new List<(string What, HttpResponseMessage Response)>
        {
            ("static SSR page", (await anonymous.GetAsync("/account/login")).Response),
            ("interactive page", (await student.GetAsync("/labs")).Response),
            ("instructor page", (await instructor.GetAsync("/classes")).Response),
            ("redirect to sign-in", (await anonymous.GetAsync("/labs")).Response),
            ("not found page", (await anonymous.GetAsync("/no-such-page")).Response),
            ("static file", await anonymous.Http.GetAsync("/css/portal.css")),
            ("framework script", await anonymous.Http.GetAsync("/_framework/blazor.web.js")),
            ("health endpoint", await anonymous.Http.GetAsync("/healthz")),
            ("form post redirect", await PostPreferenceAsync(anonymous, "theme", "theme", "dark", "/")),
            ("bad request", await PostPreferenceAsync(anonymous, "theme", "theme", "purple", "/")),
        };

        foreach (var (what, response) in responses)
        {
            Assert.Equal(SecurityHeaders.ContentSecurityPolicy, Header(response, "Content-Security-Policy", what));
            Assert.Contains("frame-ancestors 'none'", Header(response, "Content-Security-Policy", what), StringComparison.Ordinal);
            Assert.Equal("nosniff", Header(response, "X-Content-Type-Options", what));
            Assert.Equal("DENY", Header(response, "X-Frame-Options", what));
            Assert.Equal("same-origin", Header(response, "Referrer-Policy", what));
            Assert.False(response.Headers.Contains("Strict-Transport-Security"), $"{what}: HSTS over plain HTTP.");
        }
    }

    [Fact]
    public async Task Outside_Development_HTTPS_responses_carry_HSTS()
    {
        using var data = new TempDirectory();
        using var production = new PortalFactory(data.Path) { Environment = "Production" };
        using var client = production.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("https://portal.school.example/") });

        var response = await client.GetAsync("/account/login");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("max-age=", Header(response, "Strict-Transport-Security", "HTTPS login page"), StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> PostPreferenceAsync(PortalClient client, string form, string field, string value, string returnUrl)
    {
        var (response, _) = await client.SubmitAsync("/account/login", $"form[action='preferences/{form}']", new Dictionary<string, string> { [field] = value, ["returnUrl"] = returnUrl });
        return response;
    }

    private static string Header(HttpResponseMessage response, string name, string what) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(",", values)
            : throw new Xunit.Sdk.XunitException($"{what} ({(int)response.StatusCode} {response.RequestMessage?.RequestUri}): no {name} header.");

    private static string Escape(string value) => string.Concat(value.Take(40).Select(c => char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString()));
}
