namespace LabPortal.Features.LabRuns.Teardown;

/// <summary>
/// Bounds how many runs tear down at once (<c>Cleanup:MaxParallelTeardowns</c>), so a class reset
/// neither fills the job pool (steps of other learners keep running) nor bursts the API: within a
/// run the calls are sequential, and every call also waits on the clients' per-account token
/// buckets (<c>AwsRateLimiter</c>, sized to AWS's published budgets).
/// </summary>
public sealed class TeardownSlots(Microsoft.Extensions.Options.IOptions<TeardownOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.MaxParallelTeardowns, options.Value.MaxParallelTeardowns);
    private int _peak;

    public int Capacity => options.Value.MaxParallelTeardowns;

    /// <summary>Runs tearing down right now.</summary>
    public int InUse => Capacity - _slots.CurrentCount;

    /// <summary>The most runs ever seen tearing down together (benchmarks check it against <see cref="Capacity"/>).</summary>
    public int Peak => Volatile.Read(ref _peak);

    public bool TryEnter()
    {
        if (!_slots.Wait(0))
        {
            return false;
        }

        var inUse = InUse;
        int peak;
        while (inUse > (peak = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, inUse, peak) != peak)
        {
        }

        return true;
    }

    public void Release() => _slots.Release();

    public void Dispose() => _slots.Dispose();
}
