namespace LabPortal.Features.LabRuns.Engine;

/// <summary>
/// What a step of kind action does in the cloud, named in lab.yaml (<c>action:</c>). It runs inside
/// <see cref="StepRunner"/>; it must be safe to run again after a crash (find what the ledger says
/// was intended before creating anything).
/// </summary>
public interface ILabAction
{
    string Name { get; }

    Task RunAsync(LabActionContext context, CancellationToken cancellationToken);
}
