namespace LabPortal.Infrastructure.Data;

/// <summary>
/// A class's money guardrails (issue 17): what a learner may launch and hold, where, and the budget the
/// instructor is warned past. A class without a row has <see cref="Default"/>'s values.
/// </summary>
public sealed class ClassGuardrails
{
    /// <summary>The instance types the labs' forms offer, and the only ones a learner may launch.</summary>
    public static readonly IReadOnlyList<string> DefaultInstanceTypes = ["t2.micro", "t3.micro"];

    /// <summary>The region the shipped labs run in (Seoul).</summary>
    public static readonly IReadOnlyList<string> DefaultRegions = ["ap-northeast-2"];

    public int ClassroomId { get; set; }

    public Classroom Classroom { get; set; } = null!;

    /// <summary>Comma-separated instance types, e.g. <c>t2.micro,t3.micro</c>.</summary>
    public string AllowedInstanceTypes { get; set; } = string.Join(',', DefaultInstanceTypes);

    /// <summary>
    /// The most instances one learner may hold at once, an Auto Scaling group counting as its maximum size.
    /// Lab 2's group may grow to 4 and the drill briefly adds a replacement, so the default leaves room for 6.
    /// </summary>
    public int MaxInstancesPerLearner { get; set; } = 6;

    /// <summary>The most load balancers one learner may hold at once (Lab 1 and Lab 2 use one each).</summary>
    public int MaxLoadBalancersPerLearner { get; set; } = 2;

    /// <summary>Comma-separated regions the class's labs may use.</summary>
    public string LabRegions { get; set; } = string.Join(',', DefaultRegions);

    /// <summary>The class budget in US dollars for each learner's estimated cost; null for none.</summary>
    public decimal? BudgetUsd { get; set; }

    public DateTime UpdatedAtUtc { get; set; }

    public static ClassGuardrails Default(int classroomId) => new() { ClassroomId = classroomId };
}
