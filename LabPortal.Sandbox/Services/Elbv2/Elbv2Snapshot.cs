using System.Text.Json;
using LabPortal.Sandbox.State;

namespace LabPortal.Sandbox.Services.Elbv2;

/// <summary>
/// An immutable copy of one account's ELBv2 region state, published after every change, so the
/// data plane and the health checker read configuration without taking the account's lock.
/// </summary>
public sealed class Elbv2Snapshot
{
    private Elbv2Snapshot(string accountId, string region, Elbv2RegionState state)
    {
        AccountId = accountId;
        Region = region;
        State = state;
        ActiveAt = state.TargetGroups.Keys
            .Select(arn => (arn, state.TargetGroupActiveAt(arn)))
            .Where(p => p.Item2 is not null)
            .ToDictionary(p => p.arn, p => p.Item2!.Value, StringComparer.Ordinal);
        RulesByListener = state.Rules.Values
            .GroupBy(r => r.ListenerArn, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<Elbv2Rule>)g.OrderBy(r => r.Priority).ToList(), StringComparer.Ordinal);
    }

    public string AccountId { get; }

    public string Region { get; }

    /// <summary>A deep copy: never mutate it.</summary>
    public Elbv2RegionState State { get; }

    /// <summary>Target groups in use by a load balancer, with the time the earliest such load balancer is active.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> ActiveAt { get; }

    /// <summary>Each listener's rules by ascending priority (the default rule is the listener's default actions).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<Elbv2Rule>> RulesByListener { get; }

    public static Elbv2Snapshot Of(string accountId, string region, Elbv2RegionState state)
    {
        // A JSON round trip is the deep copy: the same serializer persists the state, so nothing is lost.
        var json = JsonSerializer.SerializeToUtf8Bytes(state, SandboxState.Json);
        return new Elbv2Snapshot(accountId, region, JsonSerializer.Deserialize<Elbv2RegionState>(json, SandboxState.Json)!);
    }
}
