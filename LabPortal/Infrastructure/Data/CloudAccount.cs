namespace LabPortal.Infrastructure.Data;

/// <summary>The cloud identity a learner's lab runs use: a sandbox account of their own, or an AWS account.</summary>
public sealed class CloudAccount
{
    public int Id { get; set; }

    public int UserId { get; set; }

    public User User { get; set; } = null!;

    public CloudProvider Provider { get; set; }

    /// <summary>The 12-digit account id.</summary>
    public required string AccountId { get; set; }

    public string? AccessKeyId { get; set; }

    /// <summary>The secret key, encrypted with Data Protection (never stored in clear).</summary>
    public string? ProtectedSecretAccessKey { get; set; }

    /// <summary>For an account pool: the role assumed for this learner.</summary>
    public string? RoleArn { get; set; }

    public DateTime CreatedAtUtc { get; set; }

    public DateTime? DeletedAtUtc { get; set; }
}
