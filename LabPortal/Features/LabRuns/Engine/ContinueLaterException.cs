namespace LabPortal.Features.LabRuns.Engine;

/// <summary>
/// Thrown by a wait that has used this execution's share of waiting (<see cref="LabActionContext.InlineWaitUntil"/>):
/// the job ends and a continuation is scheduled <see cref="After"/> from now, so no worker sleeps for
/// minutes. The action runs again from the top then, and finds its resources in the ledger.
/// </summary>
public sealed class ContinueLaterException(TimeSpan after) : Exception($"Waiting; continues in {after.TotalSeconds:0.#} s.")
{
    public TimeSpan After { get; } = after;
}
