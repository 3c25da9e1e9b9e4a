namespace LabPortal.Features.Classes;

public static class ClassesModule
{
    public static IHostApplicationBuilder AddClasses(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<ClassService>();
        builder.Services.AddScoped<ClassGuardrailsService>();
        return builder;
    }
}
