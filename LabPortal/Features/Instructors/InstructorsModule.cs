namespace LabPortal.Features.Instructors;

public static class InstructorsModule
{
    public static IHostApplicationBuilder AddInstructors(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<InstructorService>();
        builder.Services.AddScoped<CoTeacherService>();
        builder.Services.AddScoped<LiveStateReader>();
        builder.Services.AddSingleton<InstructorDesk>();
        builder.Services.AddScoped<DashboardResets>();
        builder.Services.AddScoped<ClassBudget>();
        return builder;
    }
}
