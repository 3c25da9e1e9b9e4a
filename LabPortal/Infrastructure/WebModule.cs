using System.Text.Encodings.Web;
using System.Text.Unicode;
using LabPortal.Components;
using LabPortal.Infrastructure.Live;
using LabPortal.Infrastructure.Localization;
using LabPortal.Infrastructure.Scopes;
using LabPortal.Infrastructure.Web;
using Microsoft.AspNetCore.HttpOverrides;
using MudBlazor.Services;

namespace LabPortal.Infrastructure;

/// <summary>The web shell: logging, Razor components (interactive server + static SSR), MudBlazor, localization, antiforgery, the middleware order.</summary>
public static class WebModule
{
    public static WebApplicationBuilder AddPortalWeb(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        if (builder.Configuration.GetValue($"{PortalOptions.Section}:{nameof(PortalOptions.JsonLogs)}", true))
        {
            builder.Logging.AddJsonConsole(options => options.UseUtcTimestamp = true);
        }
        else
        {
            builder.Logging.AddSimpleConsole(options => options.SingleLine = true);
        }

        // Interactive server rendering for the student's pages; sign-in, join, password change and the
        // instructor pages not yet moved stay static (App.razor picks per page). ADR 0004.
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        // blazor.web.js and MudBlazor's files come from packages: served from the build output in any
        // environment (a portal started with `dotnet LabPortal.dll`, as the tests and benchmarks do);
        // a no-op for a published app, which has them in wwwroot.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddMudServices();
        builder.AddLiveChanges();
        // Long-lived objects (circuits, singletons, hosted services) take scoped services one unit of work at a time.
        builder.Services.AddScopedLeases();
        builder.Services.AddScoped<ViewerClock>();
        builder.Services.AddAntiforgery();
        // Korean text goes out as UTF-8, not as numeric character references (smaller pages, readable source).
        builder.Services.AddWebEncoders(options => options.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        builder.AddPortalLocalization();

        // Behind nginx (deploy/nginx.conf): the client's address, scheme and host from X-Forwarded-*, believed only
        // from the proxies ASP.NET Core knows by default (loopback), so a client cannot forge them.
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost);
        return builder;
    }

    /// <summary>
    /// The middleware in its order. <paramref name="signedIn"/> adds the features' own middleware where it
    /// sees the signed-in user and runs before antiforgery (the shell knows no feature: Program.cs names them).
    /// </summary>
    public static WebApplication UsePortalWeb(this WebApplication app, Action<IApplicationBuilder> signedIn)
    {
        ArgumentNullException.ThrowIfNull(signedIn);
        app.UseForwardedHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/status/500");
            app.UseHsts();
        }

        app.UseSecurityHeaders();

        app.UseRequestLocalization();
        app.UsePortalStatusPages();
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        signedIn(app);
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapPortalPages(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
