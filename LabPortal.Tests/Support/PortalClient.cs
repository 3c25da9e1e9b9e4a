using System.Net;
using AngleSharp;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;

namespace LabPortal.Tests.Support;

/// <summary>Fetches pages and submits their forms the way a browser without JavaScript does.</summary>
public sealed class PortalClient(HttpClient http, string? acceptLanguage, IServiceProvider? services = null) : IDisposable
{
    public HttpClient Http { get; } = http;

    /// <summary>The portal's services when it runs in the test process (the wizard is driven through them).</summary>
    public IServiceProvider? Services { get; } = services;

    /// <summary>Who signed in or joined with this client.</summary>
    public string? UserName { get; set; }

    public async Task<(HttpResponseMessage Response, IDocument Document)> GetAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        AddLanguage(request);
        var response = await Http.SendAsync(request);
        return (response, await ParseAsync(response));
    }

    /// <summary>
    /// Loads <paramref name="path"/>, fills the form matching <paramref name="formSelector"/> (hidden
    /// fields such as the antiforgery token and the form name come along) and posts it.
    /// </summary>
    public async Task<(HttpResponseMessage Response, IDocument Document)> SubmitAsync(
        string path, string formSelector, IDictionary<string, string> fields, bool includeAntiforgery = true)
    {
        var (_, page) = await GetAsync(path);
        var form = page.QuerySelector<IHtmlFormElement>(formSelector) ?? throw new InvalidOperationException($"No form '{formSelector}' on {path}.");
        var values = new List<KeyValuePair<string, string>>();
        foreach (var input in form.QuerySelectorAll<IHtmlInputElement>("input[type=hidden]"))
        {
            if (!includeAntiforgery && input.Name == "__RequestVerificationToken")
            {
                continue;
            }

            if (input.Name is { Length: > 0 } name && !fields.ContainsKey(name))
            {
                values.Add(new(name, input.Value));
            }
        }

        foreach (var (name, value) in fields)
        {
            if (form.QuerySelector($"[name='{name}']") is null)
            {
                throw new InvalidOperationException($"The form '{formSelector}' on {path} has no field '{name}'.");
            }

            values.Add(new(name, value));
        }

        var action = form.GetAttribute("action") is { Length: > 0 } a ? a : path;
        using var request = new HttpRequestMessage(HttpMethod.Post, action) { Content = new FormUrlEncodedContent(values) };
        AddLanguage(request);
        var response = await Http.SendAsync(request);
        return (response, await ParseAsync(response));
    }

    /// <summary>Posts the form with the values it shows (the defaults a learner would accept), plus any overrides.</summary>
    public async Task<(HttpResponseMessage Response, IDocument Document)> SubmitAsShownAsync(string path, string formSelector, IDictionary<string, string>? overrides = null)
    {
        var (_, page) = await GetAsync(path);
        var form = page.QuerySelector<IHtmlFormElement>(formSelector) ?? throw new InvalidOperationException($"No form '{formSelector}' on {path}.");
        var fields = new Dictionary<string, string>();
        foreach (var input in form.QuerySelectorAll<IHtmlInputElement>("input:not([type=hidden]):not([type=radio]):not([type=checkbox])"))
        {
            fields[input.Name!] = input.Value;
        }

        foreach (var area in form.QuerySelectorAll<IHtmlTextAreaElement>("textarea"))
        {
            fields[area.Name!] = area.Value;
        }

        foreach (var select in form.QuerySelectorAll<IHtmlSelectElement>("select"))
        {
            fields[select.Name!] = select.Value ?? "";
        }

        foreach (var (name, value) in overrides ?? new Dictionary<string, string>())
        {
            fields[name] = value;
        }

        return await SubmitAsync(path, formSelector, fields);
    }

    public async Task<HttpResponseMessage> SignInAsync(string userName, string password)
    {
        UserName = userName;
        var (response, _) = await SubmitAsync("/account/login", "#login-form", new Dictionary<string, string>
        {
            ["Input.UserName"] = userName,
            ["Input.Password"] = password,
        });
        return response;
    }

    public async Task SignInAsInstructorAsync()
    {
        var response = await SignInAsync(PortalFactory.InstructorUserName, PortalFactory.InstructorPassword);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Instructor sign-in answered {(int)response.StatusCode}.");
        }
    }

    public void Dispose() => Http.Dispose();

    private void AddLanguage(HttpRequestMessage request)
    {
        if (acceptLanguage is not null)
        {
            request.Headers.AcceptLanguage.ParseAdd(acceptLanguage);
        }
    }

    private static async Task<IDocument> ParseAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        var context = BrowsingContext.New(Configuration.Default);
        return await context.OpenAsync(r => r.Content(html).Address(response.RequestMessage?.RequestUri?.ToString() ?? "http://localhost/"));
    }
}
