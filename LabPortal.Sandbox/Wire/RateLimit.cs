namespace LabPortal.Sandbox.Wire;

/// <summary>
/// One AWS token bucket: its name (buckets with the same name share tokens), capacity and refill
/// per second. AWS throttles per account and Region (aws-behaviour.md section 5).
/// </summary>
public sealed record RateLimit(string Bucket, double Capacity, double RefillPerSecond);
