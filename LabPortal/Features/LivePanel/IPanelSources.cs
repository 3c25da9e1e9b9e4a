namespace LabPortal.Features.LivePanel;

/// <summary>Makes the <see cref="IPanelSource"/> of a run (one per poller: it keeps the run's request history).</summary>
public interface IPanelSources
{
    IPanelSource ForRun(int runId);
}
