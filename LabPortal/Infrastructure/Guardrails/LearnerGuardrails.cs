using LabPortal.Infrastructure.Data;

namespace LabPortal.Infrastructure.Guardrails;

/// <summary>
/// The guardrails that hold for one learner: the strictest of their classes' (types and regions every class
/// allows, the smallest limits), or the defaults when no class set any.
/// </summary>
public sealed record LearnerGuardrails(IReadOnlyList<string> AllowedInstanceTypes, int MaxInstances, int MaxLoadBalancers, IReadOnlyList<string> Regions)
{
    public static LearnerGuardrails Default { get; } = From(ClassGuardrails.Default(0));

    public static LearnerGuardrails From(ClassGuardrails guardrails)
    {
        ArgumentNullException.ThrowIfNull(guardrails);
        return new(ParseList(guardrails.AllowedInstanceTypes), guardrails.MaxInstancesPerLearner, guardrails.MaxLoadBalancersPerLearner, ParseList(guardrails.LabRegions));
    }

    /// <summary>Several classes: what every one of them allows.</summary>
    public static LearnerGuardrails Strictest(IReadOnlyCollection<LearnerGuardrails> all)
    {
        ArgumentNullException.ThrowIfNull(all);
        return all.Count == 0
            ? Default
            : all.Aggregate((a, b) => new LearnerGuardrails(
                [.. a.AllowedInstanceTypes.Intersect(b.AllowedInstanceTypes, StringComparer.Ordinal)],
                Math.Min(a.MaxInstances, b.MaxInstances),
                Math.Min(a.MaxLoadBalancers, b.MaxLoadBalancers),
                [.. a.Regions.Intersect(b.Regions, StringComparer.Ordinal)]));
    }

    /// <summary>A comma-separated list (the stored form): trimmed, without empties or repeats.</summary>
    public static IReadOnlyList<string> ParseList(string? value) =>
        [.. (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal)];

    public Sandbox.Accounts.SandboxAccountQuotas ToSandboxQuotas() => new()
    {
        AllowedInstanceTypes = AllowedInstanceTypes,
        MaxInstances = MaxInstances,
        MaxLoadBalancers = MaxLoadBalancers,
        AllowedRegions = Regions,
    };
}
