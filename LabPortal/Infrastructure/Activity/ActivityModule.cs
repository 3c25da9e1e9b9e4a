namespace LabPortal.Infrastructure.Activity;

/// <summary>
/// A run's activity and its cleanup clock, shared by the learner's lab pages (LabRuns: the timer, the
/// banner's "keep working", recording visits) and by auto-cleanup (Cleanup: who is idle, who is past
/// the lifetime). It lives here so that neither feature depends on the other for it: Cleanup depends
/// on LabRuns (its teardown), never the other way (ADR 0003).
/// </summary>
public static class ActivityModule
{
    public static IHostApplicationBuilder AddRunActivity(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CleanupOptions>().BindConfiguration(CleanupOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<CleanupClock>();
        builder.Services.AddScoped<CleanupService>();
        return builder;
    }
}
