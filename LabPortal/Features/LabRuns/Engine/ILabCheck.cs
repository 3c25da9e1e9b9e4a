namespace LabPortal.Features.LabRuns.Engine;

/// <summary>
/// A read-only probe of the cloud's real state behind "Check my progress", named in lab.yaml
/// (<c>checks:</c>). It never changes anything.
/// </summary>
public interface ILabCheck
{
    string Name { get; }

    Task<CheckResult> RunAsync(LabActionContext context, CancellationToken cancellationToken);
}
