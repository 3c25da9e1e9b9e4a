using System.Net;
using LabPortal.Infrastructure.Localization;

namespace LabPortal.Infrastructure;

/// <summary>
/// A short page in the user's language for error statuses that carry no body (403 from the
/// authorization layer, 404 for unknown paths, 400 for a refused antiforgery token), with a
/// way forward. Non-HTML clients keep the bare status.
/// </summary>
public static class StatusPages
{
    public static IApplicationBuilder UsePortalStatusPages(this IApplicationBuilder app) => app.UseStatusCodePages(async context =>
    {
        var http = context.HttpContext;
        var accept = http.Request.Headers.Accept.ToString();
        if (accept.Length > 0 && !accept.Contains("text/html", StringComparison.Ordinal) && !accept.Contains("*/*", StringComparison.Ordinal))
        {
            return;
        }

        var status = http.Response.StatusCode;
        var (title, text) = status switch
        {
            403 => (L.T("Not allowed", "권한 없음"), L.T("Your account cannot open this page. If you think it should, ask your instructor.", "이 계정으로는 이 페이지를 열 수 없습니다. 열 수 있어야 한다면 강사에게 문의하세요.")),
            404 => (L.T("Page not found", "페이지를 찾을 수 없음"), L.T("This address does not lead to a page. Check the link or start from the home page.", "이 주소에는 페이지가 없습니다. 링크를 확인하거나 첫 페이지에서 다시 시작하세요.")),
            400 => (L.T("Request refused", "요청 거부됨"), L.T("The form could not be accepted, often because the page was open too long. Go back, reload the page and try again.", "양식을 받을 수 없었습니다. 페이지를 너무 오래 열어 둔 경우가 많습니다. 뒤로 가서 새로 고친 뒤 다시 시도하세요.")),
            _ => (L.T("Something went wrong", "문제가 생겼습니다"), L.T("Try again in a moment.", "잠시 후 다시 시도하세요.")),
        };
        http.Response.ContentType = "text/html; charset=utf-8";
        var lang = L.IsKorean ? "ko" : "en";
        var home = L.T("Go to the home page", "첫 페이지로 가기");
        await http.Response.WriteAsync($"""
            <!DOCTYPE html>
            <html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{WebUtility.HtmlEncode(title)} · LabPortal</title><link rel="icon" type="image/svg+xml" href="/favicon.svg"><link rel="stylesheet" href="/_content/MudBlazor/MudBlazor.min.css"><link rel="stylesheet" href="/css/portal.css"></head>
            <body class="mud-typography-body1"><main id="main" class="lp-narrow" style="padding:3rem 1rem"><h1 class="mud-typography mud-typography-h4">{WebUtility.HtmlEncode(title)} <small>({status})</small></h1>
            <p>{WebUtility.HtmlEncode(text)}</p><p><a href="/">{WebUtility.HtmlEncode(home)}</a></p></main></body></html>
            """);
    });
}
