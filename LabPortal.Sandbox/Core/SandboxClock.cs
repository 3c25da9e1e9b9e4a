using Microsoft.Extensions.Options;

namespace LabPortal.Sandbox.Core;

/// <summary>
/// Time for every service: the injected <see cref="TimeProvider"/> plus the time scale
/// (ARCHITECTURE.md "time": <c>Sandbox:TimeScale</c> divides every AWS duration, while the API
/// keeps reporting AWS's numbers, e.g. a 30 s health-check interval).
/// </summary>
public sealed class SandboxClock
{
    public SandboxClock(TimeProvider time, IOptions<SandboxOptions> options)
    {
        Time = time;
        Scale = options.Value.TimeScale;
    }

    public TimeProvider Time { get; }

    public double Scale { get; }

    public DateTimeOffset UtcNow => Time.GetUtcNow();

    /// <summary>How long an AWS duration lasts in the sandbox.</summary>
    public TimeSpan Scaled(TimeSpan awsDuration) => awsDuration / Scale;

    /// <summary>Waits for an AWS duration, scaled.</summary>
    public Task DelayAsync(TimeSpan awsDuration, CancellationToken cancellationToken) =>
        Task.Delay(Scaled(awsDuration), Time, cancellationToken);
}
