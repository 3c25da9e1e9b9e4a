using System.Security.Claims;
using LabPortal.Infrastructure;
using LabPortal.Infrastructure.Data;
using LabPortal.Infrastructure.Localization;
using LabPortal.Infrastructure.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace LabPortal.Features.Accounts;

public static class AccountsModule
{
    public const string InstructorPolicy = "Instructor";

    public static IHostApplicationBuilder AddAccounts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AccountsOptions>().BindConfiguration(AccountsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddScoped<IPasswordHasher<User>, PasswordHasher<User>>();
        builder.Services.AddScoped<AccountService>();
        builder.Services.AddHostedService<InitialInstructorSeeder>();

        // Keys beside the database, so cookies survive a restart (the EF key store does not restore here).
        var keys = Path.Combine(DataDirectory.Resolve(builder).Path, "keys");
        builder.Services.AddDataProtection().SetApplicationName("LabPortal").PersistKeysToFileSystem(new DirectoryInfo(keys));

        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.LoginPath = "/account/login";
                options.LogoutPath = "/account/logout";
                options.Cookie.Name = "lp-auth";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.SlidingExpiration = true;
                options.ExpireTimeSpan = TimeSpan.FromHours(12);
                options.Events.OnValidatePrincipal = ValidateSecurityStampAsync;
                // A signed-in user without the role gets a real 403 (rendered by the status page), not a redirect.
                options.Events.OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
                options.Events.OnRedirectToLogin = context =>
                {
                    if (context.Request.Path.StartsWithSegments("/healthz"))
                    {
                        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                        return Task.CompletedTask;
                    }

                    context.Response.Redirect(context.RedirectUri);
                    return Task.CompletedTask;
                };
            });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(InstructorPolicy, policy => policy.RequireRole(nameof(UserRole.Instructor)));
        builder.Services.AddCascadingAuthenticationState();
        return builder;
    }

    /// <summary>
    /// While a user holds a one-time password every page leads to the change-password form
    /// (static files, sign-out and the form itself excepted).
    /// </summary>
    public static IApplicationBuilder UseForcedPasswordChange(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var path = context.Request.Path;
        if (context.User.HasClaim(AccountService.MustChangePasswordClaim, "true")
            && HttpMethods.IsGet(context.Request.Method)
            && !path.StartsWithSegments("/account")
            && !path.StartsWithSegments("/css") && !path.StartsWithSegments("/js")
            && !path.StartsWithSegments("/_framework") && !path.StartsWithSegments("/_content") && !path.StartsWithSegments("/_blazor") && !path.StartsWithSegments("/favicon.svg")
            && !path.StartsWithSegments("/healthz"))
        {
            context.Response.Redirect("/account/change-password");
            return;
        }

        await next();
    });

    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder app)
    {
        // Sign-out is a form post with its antiforgery token (another site cannot sign a user out), and it
        // ends the session on the server too: a new security stamp makes every copy of the cookie invalid.
        app.MapPost("/account/logout", async (HttpContext context, IAntiforgery antiforgery, AccountService accounts) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return Results.BadRequest(L.T("The sign-out form has expired: reload the page and sign out again.", "로그아웃 양식이 만료되었습니다. 페이지를 새로 고친 뒤 다시 로그아웃하세요."));
            }

            if (context.User.Identity?.IsAuthenticated == true)
            {
                await accounts.EndSessionsAsync(context.User.UserId(), context.RequestAborted);
            }

            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect("/account/login");
        });
        return app;
    }

    /// <summary>
    /// Rejects a cookie whose user is gone or whose password changed since it was issued
    /// (the stamp changes with every password change).
    /// </summary>
    private static async Task ValidateSecurityStampAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        if (principal is null || !int.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            context.RejectPrincipal();
            return;
        }

        var db = context.HttpContext.RequestServices.GetRequiredService<PortalDbContext>();
        var stamp = await db.Users.Where(u => u.Id == userId).Select(u => u.SecurityStamp).SingleOrDefaultAsync(context.HttpContext.RequestAborted);
        if (stamp is null || stamp != principal.FindFirstValue(AccountService.SecurityStampClaim))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }
}
