namespace LabPortal.Sandbox.Runtime.Shell.Session;

/// <summary>
/// A script has no loops here, but files that source each other several times can still fan out
/// exponentially; the budget bounds the work one script can make the host do.
/// </summary>
internal sealed class CommandBudget
{
    public const int Limit = 20_000;

    private int _used;

    public bool Exhausted => _used > Limit;

    /// <summary>Counts one command; false once the budget is spent.</summary>
    public bool TryTake() => ++_used <= Limit;
}
