using Hangfire;
using Hangfire.Dashboard;
using LabPortal.Infrastructure.Data;

namespace LabPortal.Infrastructure.Jobs;

/// <summary>
/// Hangfire's dashboard at <c>/ops/jobs</c>: instructors see the queues, jobs and retries read-only;
/// administrators (the role the accounts issue adds) may also retry and delete. Students and anonymous
/// visitors are refused before Hangfire sees the request (the endpoint's authorization), and again by
/// Hangfire's own filter. The storage's connection string is never shown; its actions (POSTs) need
/// the antiforgery token.
/// </summary>
public static class JobsDashboard
{
    public const string Path = "/ops/jobs";

    /// <summary>The role allowed to act on jobs (retry, delete) in the dashboard.</summary>
    public const string AdministratorRole = "Administrator";

    public static IEndpointRouteBuilder MapJobsDashboard(this IEndpointRouteBuilder app)
    {
        var options = new DashboardOptions
        {
            AppPath = "/",
            DashboardTitle = "LabPortal jobs",
            DisplayStorageConnectionString = false,
            IgnoreAntiforgeryToken = false,
            Authorization = [new InstructorsOnly()],
            IsReadOnlyFunc = context => !context.GetHttpContext().User.IsInRole(AdministratorRole),
        };
        app.MapHangfireDashboard(Path, options, app.ServiceProvider.GetRequiredService<JobStorage>())
            .RequireAuthorization(policy => policy.RequireRole(nameof(UserRole.Instructor), AdministratorRole));
        return app;
    }

    private sealed class InstructorsOnly : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context)
        {
            var user = context.GetHttpContext().User;
            return user.Identity?.IsAuthenticated == true && (user.IsInRole(nameof(UserRole.Instructor)) || user.IsInRole(AdministratorRole));
        }
    }
}
