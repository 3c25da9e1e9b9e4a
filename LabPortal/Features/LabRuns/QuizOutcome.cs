namespace LabPortal.Features.LabRuns;

/// <summary>
/// Which answered questions were right, and which were left unanswered. An attempt with an
/// unanswered question is not graded or recorded: the page asks for the missing answers instead.
/// </summary>
public sealed record QuizOutcome(IReadOnlyDictionary<string, bool> Correct, IReadOnlyList<string> Unanswered)
{
    public bool Passed => Unanswered.Count == 0 && Correct.Count > 0 && Correct.Values.All(c => c);
}
