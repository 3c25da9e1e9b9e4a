using System.Text.Json;

namespace LabPortal.Infrastructure.Data;

/// <summary>
/// What a run's steps recorded for later steps, the checks, the drill timeline, the live panel and
/// the <c>{outputs.name}</c> placeholders of lab instructions and CLI text. The one place that knows
/// how they are stored: a JSON object of strings in <see cref="LabRun.OutputsJson"/>, whose keys are
/// the names below. Those keys are what existing rows hold and what labs' placeholders name, so they
/// never change; a key written by another release is kept as it is (and still fills its placeholder).
/// </summary>
public sealed class RunOutputs
{
    private const string VpcKey = "vpcId";
    private const string SecurityGroupKey = "securityGroupId";
    private const string AlbSecurityGroupKey = "albSecurityGroupId";
    private const string Subnet1Key = "subnet1Id";
    private const string Subnet2Key = "subnet2Id";
    private const string Instance1Key = "instance1Id";
    private const string Instance2Key = "instance2Id";
    private const string Instance1PublicDnsKey = "instance1PublicDns";
    private const string Instance2PublicDnsKey = "instance2PublicDns";
    private const string TargetGroupKey = "targetGroupArn";
    private const string LoadBalancerKey = "loadBalancerArn";
    private const string LoadBalancerDnsKey = "loadBalancerDns";
    private const string ListenerKey = "listenerArn";
    private const string LaunchTemplateNameKey = "launchTemplateName";
    private const string LaunchTemplateIdKey = "launchTemplateId";
    private const string AutoScalingGroupNameKey = "autoScalingGroupName";
    private const string RegisteredByHandKey = "registeredByHand";
    private const string ImageTargetGroupKey = "imageTargetGroupArn";
    private const string ImageInstanceKey = "imageInstanceId";
    private const string ImageRuleKey = "imageRuleArn";
    private const string DrillStepRunKey = "drillStepRunId";
    private const string DrillStartedAtKey = "drillStartedAt";
    private const string DrillInstanceKey = "drillInstanceId";
    private const string DrillCommandKey = "drillCommandId";
    private const string DrillStoppedAtKey = "drillStoppedAt";
    private const string DrillUnhealthyAtKey = "drillUnhealthyAt";
    private const string DrillUnhealthyReasonKey = "drillUnhealthyReason";

    private readonly Dictionary<string, string> _values;

    private RunOutputs(Dictionary<string, string> values) => _values = values;

    /// <summary>The outputs stored in <paramref name="json"/> (a run's <see cref="LabRun.OutputsJson"/>).</summary>
    public static RunOutputs Read(string json) =>
        new(JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? new Dictionary<string, string>(StringComparer.Ordinal));

    /// <summary>The outputs a run recorded so far.</summary>
    public static RunOutputs Of(LabRun run) => Read(run.OutputsJson);

    /// <summary>Stores these outputs in the run (saved with the run's next SaveChanges).</summary>
    public void WriteTo(LabRun run) => run.OutputsJson = JsonSerializer.Serialize(_values);

    /// <summary>Every stored output by its placeholder name (<c>{outputs.name}</c>).</summary>
    public IEnumerable<KeyValuePair<string, string>> ByPlaceholderName => _values;

    /// <summary>The VPC the run's resources are in (the default VPC unless a step built one).</summary>
    public string? VpcId { get => Get(VpcKey); set => Set(VpcKey, value); }

    /// <summary>The web servers' security group.</summary>
    public string? SecurityGroupId { get => Get(SecurityGroupKey); set => Set(SecurityGroupKey, value); }

    /// <summary>The load balancer's own security group.</summary>
    public string? AlbSecurityGroupId { get => Get(AlbSecurityGroupKey); set => Set(AlbSecurityGroupKey, value); }

    public string? Subnet1Id { get => Get(Subnet1Key); set => Set(Subnet1Key, value); }

    public string? Subnet2Id { get => Get(Subnet2Key); set => Set(Subnet2Key, value); }

    public string? Instance1Id { get => Get(Instance1Key); set => Set(Instance1Key, value); }

    public string? Instance2Id { get => Get(Instance2Key); set => Set(Instance2Key, value); }

    public string? Instance1PublicDns { get => Get(Instance1PublicDnsKey); set => Set(Instance1PublicDnsKey, value); }

    public string? Instance2PublicDns { get => Get(Instance2PublicDnsKey); set => Set(Instance2PublicDnsKey, value); }

    /// <summary>The target group the listener forwards to by default.</summary>
    public string? TargetGroupArn { get => Get(TargetGroupKey); set => Set(TargetGroupKey, value); }

    public string? LoadBalancerArn { get => Get(LoadBalancerKey); set => Set(LoadBalancerKey, value); }

    public string? LoadBalancerDns { get => Get(LoadBalancerDnsKey); set => Set(LoadBalancerDnsKey, value); }

    public string? ListenerArn { get => Get(ListenerKey); set => Set(ListenerKey, value); }

    public string? LaunchTemplateName { get => Get(LaunchTemplateNameKey); set => Set(LaunchTemplateNameKey, value); }

    public string? LaunchTemplateId { get => Get(LaunchTemplateIdKey); set => Set(LaunchTemplateIdKey, value); }

    public string? AutoScalingGroupName { get => Get(AutoScalingGroupNameKey); set => Set(AutoScalingGroupNameKey, value); }

    /// <summary>The group's instances registered with the target group by hand, separated by spaces.</summary>
    public string? RegisteredByHand { get => Get(RegisteredByHandKey); set => Set(RegisteredByHandKey, value); }

    /// <summary>Lab 2's second target group, behind the <c>/images/*</c> rule.</summary>
    public string? ImageTargetGroupArn { get => Get(ImageTargetGroupKey); set => Set(ImageTargetGroupKey, value); }

    public string? ImageInstanceId { get => Get(ImageInstanceKey); set => Set(ImageInstanceKey, value); }

    public string? ImageRuleArn { get => Get(ImageRuleKey); set => Set(ImageRuleKey, value); }

    /// <summary>The step run that sent the drill's command (a retry of the same attempt does not send it again).</summary>
    public string? DrillStepRunId { get => Get(DrillStepRunKey); set => Set(DrillStepRunKey, value); }

    /// <summary>When the drill's command was sent (round-trip format).</summary>
    public string? DrillStartedAt { get => Get(DrillStartedAtKey); set => Set(DrillStartedAtKey, value); }

    public string? DrillInstanceId { get => Get(DrillInstanceKey); set => Set(DrillInstanceKey, value); }

    public string? DrillCommandId { get => Get(DrillCommandKey); set => Set(DrillCommandKey, value); }

    /// <summary>When the drill's command finished, as SSM reported it.</summary>
    public string? DrillStoppedAt { get => Get(DrillStoppedAtKey); set => Set(DrillStoppedAtKey, value); }

    /// <summary>When the drill step first saw the target unhealthy (round-trip format); empty until then.</summary>
    public string? DrillUnhealthyAt { get => Get(DrillUnhealthyAtKey); set => Set(DrillUnhealthyAtKey, value); }

    public string? DrillUnhealthyReason { get => Get(DrillUnhealthyReasonKey); set => Set(DrillUnhealthyReasonKey, value); }

    /// <summary>The subnet of server or zone <paramref name="index"/> (1 or 2).</summary>
    public string? SubnetId(int index) => Get(Numbered(index, Subnet1Key, Subnet2Key));

    public void SetSubnetId(int index, string? value) => Set(Numbered(index, Subnet1Key, Subnet2Key), value);

    /// <summary>Lab 1's web server <paramref name="index"/> (1 or 2).</summary>
    public string? InstanceId(int index) => Get(Numbered(index, Instance1Key, Instance2Key));

    public void SetInstanceId(int index, string? value) => Set(Numbered(index, Instance1Key, Instance2Key), value);

    public string? InstancePublicDns(int index) => Get(Numbered(index, Instance1PublicDnsKey, Instance2PublicDnsKey));

    public void SetInstancePublicDns(int index, string? value) => Set(Numbered(index, Instance1PublicDnsKey, Instance2PublicDnsKey), value);

    private static string Numbered(int index, string first, string second) => index switch
    {
        1 => first,
        2 => second,
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, "Labs record two of these: 1 or 2."),
    };

    private string? Get(string key) => _values.TryGetValue(key, out var value) ? value : null;

    private void Set(string key, string? value)
    {
        if (value is null)
        {
            _values.Remove(key);
        }
        else
        {
            _values[key] = value;
        }
    }
}
