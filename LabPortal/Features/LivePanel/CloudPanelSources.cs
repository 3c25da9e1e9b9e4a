using LabPortal.Infrastructure.Scopes;

namespace LabPortal.Features.LivePanel;

/// <summary>The portal's panel sources: each polls the run's cloud (<see cref="CloudPanelSource"/>).</summary>
public sealed class CloudPanelSources(Scoped<PanelReads> reads, PanelRateLimits limits) : IPanelSources
{
    public IPanelSource ForRun(int runId) => new CloudPanelSource(runId, reads, limits);
}
