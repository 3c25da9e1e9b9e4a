namespace LabPortal.Features.Classes;

/// <summary>The instructor's guardrails form: lists are comma-separated, the budget is US dollars per learner (empty for none).</summary>
public sealed class ClassGuardrailsInput
{
    public string AllowedInstanceTypes { get; set; } = "";

    public int MaxInstancesPerLearner { get; set; }

    public int MaxLoadBalancersPerLearner { get; set; }

    public string LabRegions { get; set; } = "";

    public decimal? BudgetUsd { get; set; }
}
