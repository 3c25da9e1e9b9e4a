using LabPortal.Infrastructure.Activity;

namespace LabPortal.Features.Cleanup;

public static class CleanupModule
{
    /// <summary>
    /// Resets, auto-cleanup, the orphan sweeper and the audit trail (issue 7). Options from the
    /// <c>Cleanup</c> section; the recurring job is scheduled at start-up.
    /// </summary>
    public static IHostApplicationBuilder AddCleanup(this IHostApplicationBuilder builder)
    {
        // The options themselves, the clock and the learner's side (CleanupService) are Infrastructure/Activity's (AddRunActivity).
        builder.Services.AddOptions<CleanupOptions>()
            .Validate(o => CleanupSchedule.TryCronFor(o.Interval) is not null, "Cleanup:Interval must divide a minute, an hour or a day evenly (e.g. 00:00:15, 00:05:00, 01:00:00).")
            .ValidateOnStart();
        builder.Services.AddScoped<ResetService>();
        builder.Services.AddScoped<ResetProgress>();
        builder.Services.AddScoped<OrphanSweeper>();
        builder.Services.AddScoped<CleanUpIdleRuns>();
        builder.Services.AddHostedService<CleanupSchedule>();
        return builder;
    }
}
