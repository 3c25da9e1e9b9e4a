namespace LabPortal.Infrastructure.Data;

/// <summary>A class an instructor runs; students join it with its join code.</summary>
public sealed class Classroom
{
    public int Id { get; set; }

    public required string Name { get; set; }

    /// <summary>Upper-case letters and digits; unique across the portal.</summary>
    public required string JoinCode { get; set; }

    public DateTime CreatedAtUtc { get; set; }

    /// <summary>A run with no learner activity for this long is warned, then torn down (issue 7).</summary>
    public int IdleLimitMinutes { get; set; } = 120;

    /// <summary>A run older than this is warned, then torn down, however active.</summary>
    public int MaxLifetimeMinutes { get; set; } = 480;

    public List<ClassMembership> Memberships { get; set; } = [];
}
