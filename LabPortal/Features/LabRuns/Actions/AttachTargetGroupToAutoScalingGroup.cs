using LabPortal.Aws.AutoScaling;
using LabPortal.Features.LabRuns.Engine;

namespace LabPortal.Features.LabRuns.Actions;

/// <summary>
/// Lab 2, step "attach": attaches the group to the target group, so the group registers every
/// instance it has and launches, and waits until each InService instance (including the one the
/// previous step left out) is a registered target.
/// </summary>
public sealed class AttachTargetGroupToAutoScalingGroup : ILabAction
{
    public string Name => nameof(AttachTargetGroupToAutoScalingGroup);

    public async Task RunAsync(LabActionContext context, CancellationToken cancellationToken)
    {
        var targetGroupArn = context.RequireOutput(o => o.TargetGroupArn, "Create the target group with the group's instances", "그룹의 인스턴스로 대상 그룹 만들기");
        var group = await AutoScalingGroups.RequireAsync(context, cancellationToken);
        // Attaching a target group that is already attached succeeds and changes nothing: a retry is safe.
        var response = await context.Cloud.AutoScaling.AttachLoadBalancerTargetGroupsAsync(new AttachLoadBalancerTargetGroupsRequest
        {
            AutoScalingGroupName = group.AutoScalingGroupName,
            TargetGroupARNs = [targetGroupArn],
        }, cancellationToken);
        context.Trace(response.ResponseMetadata.RequestId);

        await CloudSteps.WaitUntilAsync(context, async () =>
        {
            var current = await AutoScalingGroups.DescribeAsync(context, group.AutoScalingGroupName!, cancellationToken);
            var targets = await AutoScalingGroups.TargetHealthAsync(context, targetGroupArn, cancellationToken);
            var registered = targets.Where(AutoScalingGroups.IsRegistered).Select(t => t.Target?.Id).ToHashSet(StringComparer.Ordinal);
            return current is not null && AutoScalingGroups.InServiceInstances(current).All(i => registered.Contains(i.InstanceId));
        }, "The group's instances were not all registered in the target group in time. Retry in a minute.",
           "그룹의 인스턴스가 제시간에 대상 그룹에 모두 등록되지 않았습니다. 1분 뒤 다시 시도하세요.", cancellationToken);
    }
}
