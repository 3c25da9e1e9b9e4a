using LabPortal.Features.Accounts;
using LabPortal.Infrastructure.Localization;

namespace LabPortal.Features.Instructors;

public static class InstructorsModule
{
    public static IHostApplicationBuilder AddInstructors(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<InstructorService>();
        builder.Services.AddScoped<LiveStateReader>();
        builder.Services.AddScoped<ClassBudget>();
        builder.Services.AddSingleton<DashboardRenderer>();
        builder.Services.AddSingleton<DashboardFeed>();
        return builder;
    }

    public static IEndpointRouteBuilder MapInstructors(this IEndpointRouteBuilder app)
    {
        // The dashboard's live updates. Only the class's instructors: a student or another class's
        // instructor gets 403 (the policy answers students before the class is even looked at).
        app.MapGet("/classes/{classId:int}/dashboard/stream", async Task<IResult> (int classId, HttpContext context, InstructorService instructors, DashboardFeed feed) =>
        {
            return await instructors.CheckAsync(classId, context.User.UserId(), context.RequestAborted) switch
            {
                ClassAccess.Allowed => TypedResults.ServerSentEvents(feed.StreamAsync(classId, L.IsKorean ? "ko" : "en", context.RequestAborted)),
                ClassAccess.Forbidden => TypedResults.StatusCode(StatusCodes.Status403Forbidden),
                _ => TypedResults.NotFound(),
            };
        }).RequireAuthorization(AccountsModule.InstructorPolicy);
        return app;
    }
}
