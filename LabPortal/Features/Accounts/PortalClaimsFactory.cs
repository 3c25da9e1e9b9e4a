using System.Security.Claims;
using LabPortal.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace LabPortal.Features.Accounts;

/// <summary>
/// The claims of the sign-in cookie: Identity's (id, name, roles, security stamp) with the display name as the
/// name the pages show, and a mark while the user holds a one-time password. The security stamp validator
/// rebuilds them on every request, so a change (a role, a password changed) shows at once.
/// </summary>
public sealed class PortalClaimsFactory(UserManager<User> users, RoleManager<IdentityRole<int>> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<User, IdentityRole<int>>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(User user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (identity.FindFirst(identity.NameClaimType) is { } name)
        {
            identity.RemoveClaim(name);
        }

        identity.AddClaim(new Claim(identity.NameClaimType, user.DisplayName));
        if (user.MustChangePassword)
        {
            identity.AddClaim(new Claim(AccountService.MustChangePasswordClaim, "true"));
        }

        return identity;
    }
}

/// <summary>User names compare as they always have in the portal (<see cref="User.Normalize"/>), so existing rows are found.</summary>
public sealed class UserNameNormalizer : ILookupNormalizer
{
    public string? NormalizeName(string? name) => name is null ? null : User.Normalize(name);

    public string? NormalizeEmail(string? email) => email?.Trim().ToUpperInvariant();
}
