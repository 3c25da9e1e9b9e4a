namespace LabPortal.Infrastructure.Web;

/// <summary>
/// The headers every response carries (found missing by the security review of 2026-12-07): a content
/// security policy the Blazor Server circuit and MudBlazor work under (scripts only from this site, no
/// eval; inline styles allowed because MudBlazor sets style attributes and its theme is a style
/// element; the circuit's WebSocket is same-origin), no framing by other sites, no MIME sniffing, and
/// no full URL sent as referrer to other sites. HSTS is added by <c>UseHsts</c> outside Development,
/// on HTTPS requests only.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            return Task.CompletedTask;
        });
        await next();
    });
}
