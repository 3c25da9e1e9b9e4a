namespace LabPortal.Features.Labs.Definitions;

/// <summary>What a step asks of the learner (docs/lab-format.md, "Step kinds").</summary>
public enum StepKind
{
    Read,
    Quiz,
    Action,
    Verify,
    Finish,
}
