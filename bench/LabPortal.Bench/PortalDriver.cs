using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace LabPortal.Bench;

/// <summary>One HTTP request as a student's browser made it: what kind, how long, the status.</summary>
internal readonly record struct Timed(string Kind, double Milliseconds, int Status);

/// <summary>Every request of one phase, from all its students.</summary>
internal sealed class LatencyLog
{
    private readonly ConcurrentQueue<Timed> _entries = new();

    public void Add(Timed entry) => _entries.Enqueue(entry);

    public IReadOnlyList<Timed> Entries => [.. _entries];

    /// <summary>The <paramref name="p"/>-th percentile (nearest rank) of one kind's latencies, in ms.</summary>
    public double Percentile(string kind, double p)
    {
        var sorted = _entries.Where(e => e.Kind == kind).Select(e => e.Milliseconds).Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    public int Count(string kind) => _entries.Count(e => e.Kind == kind);

    /// <summary>Answers with a status of 500 or more (a student would have seen an error page).</summary>
    public int ServerErrors => _entries.Count(e => e.Status >= 500);
}

/// <summary>
/// A browser without JavaScript, for the benchmarks: keeps cookies, does not follow redirects by
/// itself, times every request, and posts the portal's static-SSR forms with the hidden fields they
/// carry (antiforgery token, Blazor's form name). GETs are timed as "page"; the step-status fragment
/// htmx polls every second is timed as "fragment".
/// </summary>
internal sealed class PortalDriver(Uri portal, LatencyLog log) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
    {
        BaseAddress = portal,
        Timeout = TimeSpan.FromSeconds(60),
    };

    public HttpClient Http => _http;

    public async Task<(HttpStatusCode Status, string Html, string? Location)> GetAsync(string path, string kind = "page")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (kind == "fragment")
        {
            // What htmx sends with hx-get; without it the portal redirects to the full page.
            request.Headers.Add("HX-Request", "true");
        }

        return await SendAsync(request, kind);
    }

    /// <summary>Loads <paramref name="path"/>, fills form <paramref name="formId"/> with its hidden fields plus <paramref name="fields"/>, posts it.</summary>
    public async Task<(HttpStatusCode Status, string Html, string? Location)> SubmitAsync(string path, string formId, IReadOnlyDictionary<string, string> fields, bool asShown = false)
    {
        var (status, html, _) = await GetAsync(path);
        if (status != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {path} answered {(int)status}.");
        }

        var form = HtmlForm.Find(html, formId) ?? throw new InvalidOperationException($"No form '{formId}' on {path}.");
        var values = new Dictionary<string, string>(form.Hidden);
        if (asShown)
        {
            foreach (var (name, value) in form.Shown)
            {
                values[name] = value;
            }
        }

        foreach (var (name, value) in fields)
        {
            values[name] = value;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, form.Action ?? path) { Content = new FormUrlEncodedContent(values) };
        return await SendAsync(request, "post");
    }

    /// <summary>As a browser does after a POST answered 302: GETs the new address, and any further redirects (at most 5).</summary>
    public async Task<string> FollowAsync(string location)
    {
        for (var hops = 0; hops < 5; hops++)
        {
            var (status, html, next) = await GetAsync(location);
            if (status == HttpStatusCode.OK)
            {
                return html;
            }

            location = status is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther && next is not null
                ? next
                : throw new InvalidOperationException($"GET {location} answered {(int)status}.");
        }

        throw new InvalidOperationException($"GET {location}: too many redirects.");
    }

    public void Dispose() => _http.Dispose();

    private async Task<(HttpStatusCode Status, string Html, string? Location)> SendAsync(HttpRequestMessage request, string kind)
    {
        request.Headers.AcceptLanguage.ParseAdd("en");
        var watch = Stopwatch.StartNew();
        using var response = await _http.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();
        watch.Stop();
        log.Add(new Timed(kind, watch.Elapsed.TotalMilliseconds, (int)response.StatusCode));
        var location = response.Headers.Location is { } l ? (l.IsAbsoluteUri ? l.PathAndQuery : "/" + l.OriginalString.TrimStart('/')) : null;
        return (response.StatusCode, html, location);
    }
}

/// <summary>The fields of one form in the portal's server-rendered HTML (well-formed, double-quoted attributes).</summary>
internal sealed partial record HtmlForm(string? Action, Dictionary<string, string> Hidden, Dictionary<string, string> Shown)
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
            var shown = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match input in Input().Matches(body))
            {
                var a = Attributes(input.Groups[1].Value);
                if (a.GetValueOrDefault("name") is not { Length: > 0 } name || a.ContainsKey("disabled"))
                {
                    continue;
                }

                switch (a.GetValueOrDefault("type") ?? "text")
                {
                    case "hidden":
                        hidden[name] = a.GetValueOrDefault("value") ?? "";
                        break;
                    case "radio" or "checkbox":
                        if (a.ContainsKey("checked"))
                        {
                            shown[name] = a.GetValueOrDefault("value") ?? "on";
                        }

                        break;
                    default:
                        shown[name] = a.GetValueOrDefault("value") ?? "";
                        break;
                }
            }

            foreach (Match area in TextArea().Matches(body))
            {
                if (Attributes(area.Groups[1].Value).GetValueOrDefault("name") is { Length: > 0 } name)
                {
                    // HTML drops one newline right after <textarea>.
                    var text = WebUtility.HtmlDecode(area.Groups[2].Value);
                    shown[name] = text.StartsWith('\n') ? text[1..] : text;
                }
            }

            foreach (Match select in Select().Matches(body))
            {
                if (Attributes(select.Groups[1].Value).GetValueOrDefault("name") is not { Length: > 0 } name)
                {
                    continue;
                }

                var options = Option().Matches(select.Groups[2].Value).Select(o => Attributes(o.Groups[1].Value)).ToList();
                var chosen = options.FirstOrDefault(o => o.ContainsKey("selected")) ?? options.FirstOrDefault();
                shown[name] = chosen?.GetValueOrDefault("value") ?? "";
            }

            var action = attributes.GetValueOrDefault("action");
            return new HtmlForm(string.IsNullOrEmpty(action) ? null : action, hidden, shown);
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

    [GeneratedRegex("<textarea\\b([^>]*)>(.*?)</textarea>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex TextArea();

    [GeneratedRegex("<select\\b([^>]*)>(.*?)</select>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Select();

    [GeneratedRegex("<option\\b([^>]*)>", RegexOptions.IgnoreCase)]
    private static partial Regex Option();

    [GeneratedRegex("([^\\s=/>\"]+)(?:\\s*=\\s*\"([^\"]*)\")?")]
    private static partial Regex Attribute();
}
