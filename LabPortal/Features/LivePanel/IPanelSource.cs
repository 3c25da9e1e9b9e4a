namespace LabPortal.Features.LivePanel;

/// <summary>Where a run's snapshots come from: one poll of its cloud per call (the poller calls it once per tick, on the node holding the run's lease).</summary>
public interface IPanelSource
{
    /// <summary>DescribeTargetHealth calls this source made so far.</summary>
    long HealthCalls { get; }

    Task<PanelSnapshot> PollAsync(CancellationToken cancellationToken = default);
}
