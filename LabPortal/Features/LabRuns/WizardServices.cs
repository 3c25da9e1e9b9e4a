using LabPortal.Features.LabRuns.Drill;
using LabPortal.Features.LabRuns.Engine;
using LabPortal.Infrastructure.Activity;

namespace LabPortal.Features.LabRuns;

/// <summary>
/// The services one <see cref="LabWizard"/> call uses together, from one scope: they share its DbContext, so
/// the run one of them loads is the run another saves or schedules a step of.
/// </summary>
public sealed class WizardServices(LabRunService runs, CleanupService cleanup, RuntimeChoices choices, StepScheduler scheduler, ProgressChecker checker, DrillTimeline drill)
{
    public LabRunService Runs { get; } = runs;

    public CleanupService Cleanup { get; } = cleanup;

    public RuntimeChoices Choices { get; } = choices;

    public StepScheduler Scheduler { get; } = scheduler;

    public ProgressChecker Checker { get; } = checker;

    public DrillTimeline Drill { get; } = drill;
}
