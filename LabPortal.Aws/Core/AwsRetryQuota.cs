namespace LabPortal.Aws.Core;

/// <summary>
/// The standard retry mode's retry budget: 500 tokens, a retry costs 5 (10 after a timeout), a
/// success after retries gives its cost back and a first-try success adds 1. An empty budget
/// stops retries, so an outage does not multiply the load.
/// </summary>
public sealed class AwsRetryQuota
{
    /// <summary>The cost of one retry.</summary>
    public const int RetryCost = 5;

    /// <summary>The cost of a retry after a timeout.</summary>
    public const int TimeoutRetryCost = 10;

    private readonly Lock _lock = new();
    private readonly int _capacity;
    private int _available;

    /// <summary>Creates a full budget.</summary>
    /// <param name="capacity">The number of tokens (standard mode: 500).</param>
    public AwsRetryQuota(int capacity = 500)
    {
        _capacity = capacity;
        _available = capacity;
    }

    /// <summary>The tokens left.</summary>
    public int Available
    {
        get
        {
            lock (_lock)
            {
                return _available;
            }
        }
    }

    /// <summary>Takes <paramref name="cost"/> tokens if there are enough.</summary>
    /// <param name="cost">The cost of the retry.</param>
    /// <returns>False when the budget is exhausted.</returns>
    public bool TryAcquire(int cost)
    {
        lock (_lock)
        {
            if (_available < cost)
            {
                return false;
            }

            _available -= cost;
            return true;
        }
    }

    /// <summary>Returns tokens after a successful call.</summary>
    /// <param name="amount">The retry costs spent by that call, or 1 when it needed none.</param>
    public void Release(int amount)
    {
        lock (_lock)
        {
            _available = Math.Min(_capacity, _available + amount);
        }
    }
}
