using LabPortal.Infrastructure.Data;
using LabPortal.Infrastructure.Localization;
using LabPortal.Infrastructure.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace LabPortal.Features.Accounts;

public static class AccountsModule
{
    public const string InstructorPolicy = "Instructor";

    public const string AdministratorPolicy = "Administrator";

    public static IHostApplicationBuilder AddAccounts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AccountsOptions>().BindConfiguration(AccountsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddScoped<AccountService>();
        builder.Services.AddHostedService<InitialInstructorSeeder>();

        // The key ring lives in the portal's database, so cookies and protected secrets survive restarts and can be
        // shared by several nodes; keys kept in files before are imported at the first start (DatabaseMigrator).
        builder.Services.AddDataProtection().SetApplicationName("LabPortal").PersistKeysToDbContext<PortalDbContext>();

        // Registered before Identity's default, which Identity then leaves alone.
        builder.Services.AddSingleton<ILookupNormalizer, UserNameNormalizer>();
        builder.Services.AddIdentity<User, IdentityRole<int>>()
            .AddEntityFrameworkStores<PortalDbContext>()
            .AddClaimsPrincipalFactory<PortalClaimsFactory>()
            .AddDefaultTokenProviders();
        builder.Services.AddOptions<IdentityOptions>().Configure<IOptions<AccountsOptions>>((identity, accounts) =>
        {
            identity.Lockout.AllowedForNewUsers = true;
            identity.Lockout.MaxFailedAccessAttempts = accounts.Value.MaxFailedSignIns;
            identity.Lockout.DefaultLockoutTimeSpan = accounts.Value.LockoutDuration;
            // The account forms check passwords and names themselves (AccountRules), in both languages.
            identity.Password.RequiredLength = AccountRules.MinPasswordLength;
            identity.Password.RequireDigit = false;
            identity.Password.RequireLowercase = false;
            identity.Password.RequireUppercase = false;
            identity.Password.RequireNonAlphanumeric = false;
            identity.Password.RequiredUniqueChars = 1;
            identity.User.AllowedUserNameCharacters = "";
        });
        // Invitation links carry Identity's password-reset token: it expires, and setting the password (a new
        // security stamp) spends it.
        builder.Services.AddOptions<DataProtectionTokenProviderOptions>().Configure<IOptions<AccountsOptions>>((tokens, accounts) => tokens.TokenLifespan = accounts.Value.InvitationLifetime);
        builder.Services.AddScoped<AccountAdminService>();

        // Every request checks the cookie's security stamp against the database: sign-out, a password change or a
        // disabled account ends every session at once, not after Identity's default 30 minutes.
        builder.Services.Configure<SecurityStampValidatorOptions>(options => options.ValidationInterval = TimeSpan.Zero);
        builder.Services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = "/account/login";
            options.LogoutPath = "/account/logout";
            options.Cookie.Name = "lp-auth";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.SlidingExpiration = true;
            options.ExpireTimeSpan = TimeSpan.FromHours(12);
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
            .AddPolicy(InstructorPolicy, policy => policy.RequireRole(Roles.Instructor))
            .AddPolicy(AdministratorPolicy, policy => policy.RequireRole(Roles.Administrator));
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, CircuitSessionRevalidator>();
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

            await accounts.SignOutAsync(context.User);
            return Results.LocalRedirect("/account/login");
        });

        // An administrator disables or enables an account (the accounts page's buttons; 403 for anyone else).
        app.MapPost("/admin/accounts/{userId:int}/{change:regex(^(disable|enable)$)}", async (int userId, string change, HttpContext context, IAntiforgery antiforgery, AccountAdminService admin) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return Results.BadRequest(L.T("The form has expired: reload the page and try again.", "양식이 만료되었습니다. 페이지를 새로 고친 뒤 다시 시도하세요."));
            }

            var disable = change == "disable";
            var result = await admin.SetDisabledAsync(context.User.UserId(), new AccountStatusInput { UserId = userId, Disable = disable }, context.RequestAborted);
            return result.Succeeded
                ? Results.LocalRedirect($"/admin/accounts?status={(disable ? "disabled" : "enabled")}")
                : Results.BadRequest(string.Join(" ", result.Errors.Values));
        }).RequireAuthorization(AdministratorPolicy);
        return app;
    }
}
