namespace LabPortal.Features.Instructors;

/// <summary>A step of a learner's run as the dashboard's matrix shows it.</summary>
public enum StepCellState
{
    NotStarted,
    Pending,
    Running,
    Succeeded,
    Failed,
}
