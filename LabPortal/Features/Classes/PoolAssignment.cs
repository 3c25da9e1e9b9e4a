namespace LabPortal.Features.Classes;

/// <summary>A student and the pool account they hold (since <see cref="AssignedAtUtc"/>).</summary>
public sealed record PoolAssignment(int UserId, string DisplayName, string AccountId, string RoleArn, DateTime AssignedAtUtc);
