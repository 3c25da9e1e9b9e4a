using LabPortal.Features.Labs.Definitions;
using LabPortal.Infrastructure.Data;

namespace LabPortal.Features.LabRuns;

/// <summary>A step as the learner sees it: the definition, its latest attempt, and whether it can be done yet.</summary>
public sealed record StepState(StepDefinition Definition, int Number, StepRun? Latest, bool Unlocked, bool Done)
{
    public bool InProgress => Latest?.Status is StepRunStatus.Pending or StepRunStatus.Running;

    /// <summary>The step needs a data plane and this cloud has none (an API emulator): it is skipped here.</summary>
    public bool NotAvailableHere { get; init; }
}
