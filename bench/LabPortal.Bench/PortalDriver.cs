using System.Net;
using System.Text.RegularExpressions;

namespace LabPortal.Bench;

/// <summary>
/// The instructor's browser without JavaScript, for the instructor pages that are still static forms
/// (sign-in, classes, the class dashboard's reset): keeps cookies, does not follow redirects by
/// itself, and posts a form with the hidden fields it carries (antiforgery token, Blazor's form name).
/// </summary>
internal sealed partial class PortalDriver(Uri portal) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
    {
        BaseAddress = portal,
        Timeout = TimeSpan.FromSeconds(60),
    };

    /// <summary>Signs in as the initial instructor and creates a class students join with <paramref name="code"/>; returns the class id.</summary>
    public async Task<int> CreateClassAsync(string code)
    {
        var (signIn, _, _) = await SubmitAsync("/account/login", "login-form", new Dictionary<string, string>
        {
            ["Input.UserName"] = PortalProcess.InstructorUserName,
            ["Input.Password"] = PortalProcess.InstructorPassword,
        });
        Expect(signIn, HttpStatusCode.Redirect, "instructor sign-in");
        var (created, _, location) = await SubmitAsync("/classes", "create-class-form", new Dictionary<string, string>
        {
            ["Input.Name"] = "Bench class " + code,
            ["Input.JoinCode"] = code,
        });
        Expect(created, HttpStatusCode.Redirect, "creating the class");
        var id = ClassId().Match(location ?? "");
        return id.Success ? int.Parse(id.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : throw new InvalidOperationException($"Creating the class redirected to '{location}', not to the class.");
    }

    public async Task<(HttpStatusCode Status, string Html, string? Location)> GetAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        return await SendAsync(request);
    }

    /// <summary>Loads <paramref name="path"/>, fills form <paramref name="formId"/> with its hidden fields plus <paramref name="fields"/>, posts it.</summary>
    public async Task<(HttpStatusCode Status, string Html, string? Location)> SubmitAsync(string path, string formId, IReadOnlyDictionary<string, string> fields)
    {
        var (status, html, _) = await GetAsync(path);
        if (status != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {path} answered {(int)status}.");
        }

        var form = HtmlForm.Find(html, formId) ?? throw new InvalidOperationException($"No form '{formId}' on {path}.");
        return await PostFormAsync(form with { Action = form.Action ?? path }, fields);
    }

    /// <summary>Posts a form already read from a page: its hidden fields plus <paramref name="fields"/>.</summary>
    public async Task<(HttpStatusCode Status, string Html, string? Location)> PostFormAsync(HtmlForm form, IReadOnlyDictionary<string, string> fields)
    {
        var values = new Dictionary<string, string>(form.Hidden);
        foreach (var (name, value) in fields)
        {
            values[name] = value;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, form.Action ?? "") { Content = new FormUrlEncodedContent(values) };
        return await SendAsync(request);
    }

    /// <summary>
    /// Posts <paramref name="fields"/> to <paramref name="action"/> with the antiforgery token of the page at
    /// <paramref name="tokenPage"/> (any of its forms carries one): an endpoint no form of that page names.
    /// </summary>
    public async Task<(HttpStatusCode Status, string Html, string? Location)> PostWithTokenAsync(string tokenPage, string action, IReadOnlyDictionary<string, string> fields)
    {
        var (status, html, _) = await GetAsync(tokenPage);
        if (status != HttpStatusCode.OK || AntiforgeryToken().Match(html) is not { Success: true } token)
        {
            throw new InvalidOperationException($"GET {tokenPage} answered {(int)status} without an antiforgery token.");
        }

        var values = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = System.Net.WebUtility.HtmlDecode(token.Groups[1].Value) };
        using var request = new HttpRequestMessage(HttpMethod.Post, action) { Content = new FormUrlEncodedContent(values) };
        return await SendAsync(request);
    }

    public void Dispose() => _http.Dispose();

    private static void Expect(HttpStatusCode actual, HttpStatusCode expected, string what)
    {
        if (actual != expected)
        {
            throw new InvalidOperationException($"{what} answered {(int)actual}, expected {(int)expected}.");
        }
    }

    private async Task<(HttpStatusCode Status, string Html, string? Location)> SendAsync(HttpRequestMessage request)
    {
        request.Headers.AcceptLanguage.ParseAdd("en");
        using var response = await _http.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();
        var location = response.Headers.Location is { } l ? (l.IsAbsoluteUri ? l.PathAndQuery : "/" + l.OriginalString.TrimStart('/')) : null;
        return (response.StatusCode, html, location);
    }

    [GeneratedRegex("classes/([0-9]+)")]
    private static partial Regex ClassId();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}

/// <summary>The hidden fields of one form in the portal's server-rendered HTML (well-formed, double-quoted attributes).</summary>
internal sealed partial record HtmlForm(string? Action, Dictionary<string, string> Hidden)
{
    public static HtmlForm? Find(string html, string id)
    {
        foreach (Match start in FormStart().Matches(html))
        {
            var attributes = Attributes(start.Groups[1].Value);
            if (attributes.GetValueOrDefault("id") != id)
            {
                continue;
            }

            var end = html.IndexOf("</form>", start.Index + start.Length, StringComparison.OrdinalIgnoreCase);
            var body = html[(start.Index + start.Length)..(end < 0 ? html.Length : end)];
            var hidden = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match input in Input().Matches(body))
            {
                var a = Attributes(input.Groups[1].Value);
                if (a.GetValueOrDefault("name") is { Length: > 0 } name && a.GetValueOrDefault("type") == "hidden")
                {
                    hidden[name] = a.GetValueOrDefault("value") ?? "";
                }
            }

            var action = attributes.GetValueOrDefault("action");
            return new HtmlForm(string.IsNullOrEmpty(action) ? null : action, hidden);
        }

        return null;
    }

    private static Dictionary<string, string> Attributes(string tag)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (Match attribute in Attribute().Matches(tag))
        {
            result[attribute.Groups[1].Value] = WebUtility.HtmlDecode(attribute.Groups[2].Success ? attribute.Groups[2].Value : "");
        }

        return result;
    }

    [GeneratedRegex("<form\\b([^>]*)>", RegexOptions.IgnoreCase)]
    private static partial Regex FormStart();

    [GeneratedRegex("<input\\b([^>]*)>", RegexOptions.IgnoreCase)]
    private static partial Regex Input();

    [GeneratedRegex("([^\\s=/>\"]+)(?:\\s*=\\s*\"([^\"]*)\")?")]
    private static partial Regex Attribute();
}
