using LabPortal.Aws.AutoScaling;
using LabPortal.Features.LabRuns.Engine;

namespace LabPortal.Features.LabRuns.Checks;

/// <summary>The group is attached to the lab's target group (DescribeLoadBalancerTargetGroups), so its new instances become targets.</summary>
public sealed class GroupAttachedToTargetGroup : ILabCheck
{
    public string Name => nameof(GroupAttachedToTargetGroup);

    public async Task<CheckResult> RunAsync(LabActionContext context, CancellationToken cancellationToken)
    {
        var name = context.Outputs.AutoScalingGroupName;
        var targetGroupArn = context.Outputs.TargetGroupArn;
        if (name is null || targetGroupArn is null)
        {
            return CheckResult.Fail(Name, "There is no Auto Scaling group or target group yet.", "아직 Auto Scaling 그룹이나 대상 그룹이 없습니다.");
        }

        var response = await context.Cloud.AutoScaling.DescribeLoadBalancerTargetGroupsAsync(new DescribeLoadBalancerTargetGroupsRequest { AutoScalingGroupName = name }, cancellationToken);
        var attachment = response.LoadBalancerTargetGroups?.FirstOrDefault(a => a.LoadBalancerTargetGroupARN == targetGroupArn);
        return attachment is not null && attachment.State is not ("Removing" or "Removed")
            ? CheckResult.Pass(Name,
                $"The group is attached to the target group (state {attachment.State}): every instance it launches becomes a target.",
                $"그룹이 대상 그룹에 연결되어 있습니다(상태 {attachment.State}). 그룹이 띄우는 인스턴스는 모두 대상이 됩니다.")
            : CheckResult.Fail(Name,
                "The group is not attached to the target group: new instances will not become targets.",
                "그룹이 대상 그룹에 연결되어 있지 않습니다. 새 인스턴스가 대상이 되지 않습니다.");
    }
}
