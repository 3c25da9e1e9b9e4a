namespace LabPortal.Aws.Core;

/// <summary>A token bucket: how many calls may burst and how many tokens come back per second.</summary>
/// <param name="Capacity">The bucket size (burst).</param>
/// <param name="RefillPerSecond">Tokens added per second.</param>
public readonly record struct TokenBucketLimit(double Capacity, double RefillPerSecond);
