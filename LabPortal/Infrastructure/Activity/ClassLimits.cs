namespace LabPortal.Infrastructure.Activity;

/// <summary>The idle and lifetime limits that apply to a learner: the strictest of their classes', else the defaults.</summary>
public sealed record ClassLimits(int IdleLimitMinutes, int MaxLifetimeMinutes, int? ClassroomId)
{
    public static readonly ClassLimits Default = new(120, 480, null);
}
