using LabPortal.Features.Labs.Definitions;
using LabPortal.Infrastructure.Data;

namespace LabPortal.Features.LabRuns;

/// <summary>A lab in the learner's list, with their latest run of it, if any.</summary>
public sealed record LabListItem(LabDefinition Lab, LabRun? Run, int DoneSteps, IReadOnlyList<string> MissingActions);
