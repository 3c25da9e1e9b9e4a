using LabPortal.Infrastructure.Localization;

namespace LabPortal.Features.LabRuns.Engine;

/// <summary>A step that cannot go on for a reason the learner can fix (said in both languages), not an AWS error.</summary>
public sealed class LabStepException(string code, string english, string korean) : Exception(english)
{
    public string Code { get; } = code;

    public string English { get; } = english;

    public string Korean { get; } = korean;

    public string Text => L.T(English, Korean);
}
