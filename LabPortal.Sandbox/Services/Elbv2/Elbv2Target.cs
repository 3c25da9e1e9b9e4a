namespace LabPortal.Sandbox.Services.Elbv2;

/// <summary>A registered target (an instance on a port); draining after DeregisterTargets until <see cref="DrainingUntil"/>.</summary>
public sealed class Elbv2Target
{
    public string Id { get; set; } = string.Empty;

    public int Port { get; set; }

    public DateTimeOffset RegisteredAt { get; set; }

    /// <summary>Set by deregistration: the sandbox time (scaled delay) at which the target disappears (aws-behaviour.md 1.5).</summary>
    public DateTimeOffset? DrainingUntil { get; set; }
}
