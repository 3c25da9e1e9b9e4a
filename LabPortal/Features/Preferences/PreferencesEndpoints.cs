using LabPortal.Infrastructure.Localization;
using LabPortal.Infrastructure.Web;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;

namespace LabPortal.Features.Preferences;

/// <summary>Language and theme switches: plain form posts, so they work without JavaScript.</summary>
public static class PreferencesEndpoints
{
    public const string ThemeCookie = "lp-theme";

    public static IEndpointRouteBuilder MapPreferences(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/preferences");
        group.MapPost("/language", ([FromForm] string? culture, [FromForm] string? returnUrl, HttpContext context) =>
        {
            if (culture is null || !LocalizationModule.SupportedCultures.Contains(culture))
            {
                return Results.BadRequest(L.T("Unknown language.", "알 수 없는 언어입니다."));
            }

            context.Response.Cookies.Append(
                CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, HttpOnly = true, SameSite = SameSiteMode.Lax });
            return Results.LocalRedirect(LocalUrl.OrRoot(returnUrl));
        });
        group.MapPost("/theme", ([FromForm] string? theme, [FromForm] string? returnUrl, HttpContext context) =>
        {
            if (theme is not ("light" or "dark"))
            {
                return Results.BadRequest(L.T("Unknown theme.", "알 수 없는 테마입니다."));
            }

            context.Response.Cookies.Append(ThemeCookie, theme, new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, HttpOnly = true, SameSite = SameSiteMode.Lax });
            return Results.LocalRedirect(LocalUrl.OrRoot(returnUrl));
        });
        return app;
    }
}
