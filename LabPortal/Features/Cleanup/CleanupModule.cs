namespace LabPortal.Features.Cleanup;

public static class CleanupModule
{
    /// <summary>
    /// Resets, auto-cleanup, the orphan sweeper and the audit trail (issue 7). Options from the
    /// <c>Cleanup</c> section; the recurring job is scheduled at start-up.
    /// </summary>
    public static IHostApplicationBuilder AddCleanup(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CleanupOptions>().BindConfiguration(CleanupOptions.Section).ValidateDataAnnotations()
            .Validate(o => CleanupSchedule.TryCronFor(o.Interval) is not null, "Cleanup:Interval must divide a minute, an hour or a day evenly (e.g. 00:00:15, 00:05:00, 01:00:00).")
            .ValidateOnStart();
        builder.Services.AddSingleton<CleanupClock>();
        builder.Services.AddScoped<ResetService>();
        builder.Services.AddScoped<ResetProgress>();
        builder.Services.AddScoped<CleanupService>();
        builder.Services.AddScoped<OrphanSweeper>();
        builder.Services.AddScoped<CleanUpIdleRuns>();
        builder.Services.AddHostedService<CleanupSchedule>();
        return builder;
    }
}
