namespace LabPortal.Features.LabRuns;

/// <summary>Which questions were answered right; the step succeeds only when all were.</summary>
public sealed record QuizOutcome(IReadOnlyDictionary<string, bool> Correct)
{
    public bool Passed => Correct.Count > 0 && Correct.Values.All(c => c);
}
