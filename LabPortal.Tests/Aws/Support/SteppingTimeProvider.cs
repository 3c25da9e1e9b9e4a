namespace LabPortal.Tests.Aws.Support;

/// <summary>A clock that moves one second forward every time the wall-clock time is read (timers stay real).</summary>
public sealed class SteppingTimeProvider : TimeProvider
{
    private long _ticks = new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero).UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Add(ref _ticks, TimeSpan.TicksPerSecond), TimeSpan.Zero);
}
