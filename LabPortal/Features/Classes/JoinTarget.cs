namespace LabPortal.Features.Classes;

/// <summary>A class as a student sees it before and after joining: its name and its instructors' names.</summary>
public sealed record JoinTarget(string Name, IReadOnlyList<string> Instructors)
{
    public string InstructorNames => string.Join(", ", Instructors);
}
