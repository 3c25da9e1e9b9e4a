using LabPortal.Infrastructure.Data;
using Microsoft.Extensions.Options;

namespace LabPortal.Infrastructure.Activity;

/// <summary>
/// When a run will be cleaned up: the earlier of its idle deadline (last activity + the class's idle
/// limit) and its lifetime deadline (start + the class's maximum lifetime, plus the one extension),
/// or, once warned, the end of the countdown.
/// </summary>
public sealed class CleanupClock(IOptions<CleanupOptions> options, TimeProvider time)
{
    public CleanupOptions Options => options.Value;

    public DateTime Now => time.GetUtcNow().UtcDateTime;

    public CleanupTimer TimerFor(LabRun run, ClassLimits limits)
    {
        var o = options.Value;
        var idle = run.LastActivityAtUtc + o.ScaledMinutes(limits.IdleLimitMinutes);
        var lifetime = run.StartedAtUtc + o.ScaledMinutes(limits.MaxLifetimeMinutes) + (run.ExtendedAtUtc is null ? TimeSpan.Zero : o.Scaled(o.Extension));
        var due = idle < lifetime ? idle : lifetime;
        var teardownAt = run.CleanupWarnedAtUtc is { } warned ? warned + o.Scaled(o.WarningPeriod) : (DateTime?)null;
        return new CleanupTimer(due, idle <= lifetime ? CleanupCause.Idle : CleanupCause.Lifetime, teardownAt, run.ExtendedAtUtc is not null, Now);
    }
}
