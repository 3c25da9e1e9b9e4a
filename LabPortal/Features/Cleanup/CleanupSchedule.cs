using System.Globalization;
using Hangfire;
using LabPortal.Infrastructure.Activity;
using Microsoft.Extensions.Options;

namespace LabPortal.Features.Cleanup;

/// <summary>
/// Registers the recurring auto-cleanup under its constant id at start-up (idempotent: a changed
/// <c>Cleanup:Interval</c> replaces the old schedule). Hangfire's recurring jobs are cron-based, so
/// the interval must divide a minute, an hour or a day evenly.
/// </summary>
public sealed class CleanupSchedule(IRecurringJobManager recurring, IOptions<CleanupOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<CleanUpIdleRuns>(CleanUpIdleRuns.Id, sweep => sweep.RunAsync(CancellationToken.None), CronFor(options.Value.Interval));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A cron expression (six fields when it needs seconds) firing every <paramref name="interval"/>; null when it cannot be said in cron.</summary>
    public static string? TryCronFor(TimeSpan interval)
    {
        static string N(double value) => ((int)value).ToString(CultureInfo.InvariantCulture);
        return interval switch
        {
            { TotalSeconds: var s } when s >= 1 && s < 60 && s % 1 == 0 && 60 % s == 0 => $"*/{N(s)} * * * * *",
            { TotalMinutes: var m } when m >= 1 && m < 60 && m % 1 == 0 && 60 % m == 0 => $"*/{N(m)} * * * *",
            { TotalHours: var h } when h >= 1 && h < 24 && h % 1 == 0 && 24 % h == 0 => $"0 */{N(h)} * * *",
            { TotalDays: 1 } => "0 0 * * *",
            _ => null,
        };
    }

    public static string CronFor(TimeSpan interval) => TryCronFor(interval)
        ?? throw new InvalidOperationException($"Cleanup:Interval {interval} cannot be scheduled: use a number of seconds, minutes or hours that divides a minute, an hour or a day (e.g. 00:00:15, 00:05:00, 01:00:00).");
}
