namespace LabPortal.Features.LabRuns.Engine;

/// <summary>Ends a step's execution after a transient failure so that Hangfire's automatic retry runs it again.</summary>
public sealed class StepRetryException(int stepRunId, string code, Exception inner)
    : Exception($"Step run {stepRunId} failed transiently ({code}); it is retried.", inner);
