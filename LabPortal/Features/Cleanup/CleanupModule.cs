namespace LabPortal.Features.Cleanup;

public static class CleanupModule
{
    /// <summary>
    /// Resets, auto-cleanup, the orphan sweeper and the audit trail (issue 7). Options from the
    /// <c>Cleanup</c> section; the recurring job is scheduled at start-up.
    /// </summary>
    public static IHostApplicationBuilder AddCleanup(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CleanupOptions>().BindConfiguration(CleanupOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<CleanupClock>();
        builder.Services.AddSingleton<TeardownSlots>();
        builder.Services.AddScoped<AuditLog>();
        builder.Services.AddScoped<TeardownScheduler>();
        builder.Services.AddScoped<RunVerifier>();
        builder.Services.AddScoped<ResetService>();
        builder.Services.AddScoped<ResetProgress>();
        builder.Services.AddScoped<CleanupService>();
        builder.Services.AddScoped<OrphanSweeper>();
        builder.Services.AddHostedService<CleanupSchedule>();
        return builder;
    }
}
