namespace LabPortal.Infrastructure.Data;

/// <summary>A class an instructor runs; students join it with its join code.</summary>
public sealed class Classroom
{
    public int Id { get; set; }

    public required string Name { get; set; }

    /// <summary>Upper-case letters and digits; unique across the portal.</summary>
    public required string JoinCode { get; set; }

    public DateTime CreatedAtUtc { get; set; }

    public List<ClassMembership> Memberships { get; set; } = [];
}
