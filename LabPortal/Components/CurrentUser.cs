using System.Security.Claims;
using LabPortal.Infrastructure.Web;
using Microsoft.AspNetCore.Components.Authorization;

namespace LabPortal.Components;

/// <summary>The signed-in learner's id inside an interactive component (the circuit has no HttpContext).</summary>
public static class CurrentUser
{
    public static async Task<int> IdAsync(Task<AuthenticationState>? state)
    {
        var user = state is null ? new ClaimsPrincipal() : (await state).User;
        return user.Identity?.IsAuthenticated == true ? user.UserId() : 0;
    }
}
