using System.Security.Claims;
using LabPortal.Infrastructure.Data;
using LabPortal.Infrastructure.Scopes;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace LabPortal.Features.Accounts;

/// <summary>
/// An open interactive page holds its user from when its circuit started; cookies are checked on every request,
/// but a circuit makes none. This checks the user's security stamp every
/// <see cref="AccountsOptions.CircuitRevalidationInterval"/>: once a sign-out elsewhere, a password change or a
/// disabled account has changed it, the page's user becomes anonymous and its route leads to the sign-in page.
/// </summary>
public sealed class CircuitSessionRevalidator(
    ILoggerFactory loggerFactory,
    Scoped<UserManager<User>> userManagers,
    IOptions<AccountsOptions> accounts,
    IOptions<IdentityOptions> identity)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => accounts.Value.CircuitRevalidationInterval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        var principal = authenticationState.User;
        if (principal.Identity?.IsAuthenticated != true)
        {
            return true;
        }

        await using var lease = userManagers.Begin();
        var users = lease.Service;
        var user = await users.FindByIdAsync(principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? "");
        if (user is null)
        {
            return false;
        }

        return !users.SupportsUserSecurityStamp
            || principal.FindFirstValue(identity.Value.ClaimsIdentity.SecurityStampClaimType) == await users.GetSecurityStampAsync(user);
    }
}
