using LabPortal.Sandbox.Services.Elbv2;
using LabPortal.Sandbox.State;

namespace LabPortal.Tests.Sandbox.AutoScaling;

/// <summary>
/// Test double of ELBv2's side of the contract: target groups a test declares, registrations it can
/// read back, and health it can set (registered targets report <c>healthy</c> until told otherwise).
/// </summary>
internal sealed class FakeTargetGroupMembership : ITargetGroupMembership
{
    private readonly Lock _lock = new();
    private readonly HashSet<string> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, string>> _targets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _forcedHealth = new(StringComparer.Ordinal);

    public string AddTargetGroup(string name, string region = "ap-northeast-2", string accountId = "123456789012")
    {
        var arn = $"arn:aws:elasticloadbalancing:{region}:{accountId}:targetgroup/{name}/{Guid.NewGuid().ToString("N")[..16]}";
        lock (_lock)
        {
            _groups.Add(arn);
            _targets[arn] = new Dictionary<string, string>(StringComparer.Ordinal);
        }

        return arn;
    }

    /// <summary>Deletes the target group, as DeleteTargetGroup does behind Auto Scaling's back.</summary>
    public void RemoveTargetGroup(string targetGroupArn)
    {
        lock (_lock)
        {
            _groups.Remove(targetGroupArn);
            _targets.Remove(targetGroupArn);
        }
    }

    /// <summary>The instances registered in the target group now.</summary>
    public IReadOnlyList<string> Registered(string targetGroupArn)
    {
        lock (_lock)
        {
            return _targets.TryGetValue(targetGroupArn, out var targets) ? targets.Keys.Order(StringComparer.Ordinal).ToList() : [];
        }
    }

    /// <summary>Makes the instance report <paramref name="state"/> in every target group it is registered in.</summary>
    public void SetHealth(string instanceId, string state)
    {
        lock (_lock)
        {
            _forcedHealth[instanceId] = state;
        }
    }

    public bool Exists(AccountScope scope, string region, string targetGroupArn)
    {
        lock (_lock)
        {
            return _groups.Contains(targetGroupArn);
        }
    }

    public void Register(AccountScope scope, string region, string targetGroupArn, string instanceId)
    {
        lock (_lock)
        {
            _targets[targetGroupArn][instanceId] = "healthy";
        }
    }

    public void Deregister(AccountScope scope, string region, string targetGroupArn, string instanceId)
    {
        lock (_lock)
        {
            _targets[targetGroupArn].Remove(instanceId);
        }
    }

    public TargetHealthSnapshot? Health(AccountScope scope, string region, string targetGroupArn, string instanceId)
    {
        lock (_lock)
        {
            if (!_targets.TryGetValue(targetGroupArn, out var targets) || !targets.TryGetValue(instanceId, out var state))
            {
                return null;
            }

            state = _forcedHealth.GetValueOrDefault(instanceId, state);
            return new TargetHealthSnapshot(state, state == "unhealthy" ? "Target.ResponseCodeMismatch" : null);
        }
    }
}
