using System.Globalization;
using System.Security.Claims;

namespace LabPortal.Infrastructure.Web;

/// <summary>The signed-in user as the portal's pages and endpoints read it (every feature needs it, so no feature owns it).</summary>
public static class ClaimsPrincipalExtensions
{
    /// <summary>The user's id (the cookie's name identifier claim); only for a signed-in user.</summary>
    /// <exception cref="InvalidOperationException">Nobody is signed in.</exception>
    public static int UserId(this ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return int.Parse(principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Not signed in."), CultureInfo.InvariantCulture);
    }
}
