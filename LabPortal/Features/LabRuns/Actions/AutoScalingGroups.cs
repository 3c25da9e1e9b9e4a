using LabPortal.Aws.AutoScaling;
using LabPortal.Aws.Elbv2;
using LabPortal.Features.LabRuns.Engine;

namespace LabPortal.Features.LabRuns.Actions;

/// <summary>Reads of the lab's Auto Scaling group that Lab 2's actions, checks and pages share.</summary>
public static class AutoScalingGroups
{
    public const string InService = "InService";

    /// <summary>The group by name, or null when it does not exist (DescribeAutoScalingGroups answers an empty list).</summary>
    public static async Task<AutoScalingGroup?> DescribeAsync(LabActionContext context, string name, CancellationToken cancellationToken)
    {
        var response = await context.Cloud.AutoScaling.DescribeAutoScalingGroupsAsync(new DescribeAutoScalingGroupsRequest { AutoScalingGroupNames = [name] }, cancellationToken);
        context.Trace(response.ResponseMetadata.RequestId);
        return CloudSteps.FirstOf(response.AutoScalingGroups);
    }

    /// <summary>
    /// The lab's group, or a step failure naming the step that creates it. A group of that name without
    /// this run's tag (the run's was deleted and someone made another) is not the run's: nothing is
    /// read from or written to it (issue 13).
    /// </summary>
    public static async Task<AutoScalingGroup> RequireAsync(LabActionContext context, CancellationToken cancellationToken)
    {
        var name = context.RequireOutput(o => o.AutoScalingGroupName, "Create the Auto Scaling group", "Auto Scaling 그룹 만들기");
        var group = await DescribeAsync(context, name, cancellationToken);
        return group is not null && IsRunTagged(context, group) ? group : throw new LabStepException("GroupNotFound",
            $"The Auto Scaling group {name} of this lab run no longer exists. Run \"Create the Auto Scaling group\" again.",
            $"이 실습 실행의 Auto Scaling 그룹 {name}이(가) 더 이상 없습니다. \"Auto Scaling 그룹 만들기\" 단계를 다시 실행하세요.");
    }

    /// <summary>True when the group carries this run's <c>lab-portal:run</c> tag.</summary>
    public static bool IsRunTagged(LabActionContext context, AutoScalingGroup group) =>
        context.IsRunTagged((group.Tags ?? []).Select(t => (t.Key, t.Value)));

    public static IReadOnlyList<Instance> InServiceInstances(AutoScalingGroup group) =>
        [.. (group.Instances ?? []).Where(i => i.LifecycleState == InService)];

    /// <summary>True when the group has exactly its desired number of instances and all are InService.</summary>
    public static bool AtDesiredCapacity(AutoScalingGroup group) =>
        (group.Instances ?? []).Count == group.DesiredCapacity && InServiceInstances(group).Count == group.DesiredCapacity;

    /// <summary>Waits until the group is at its desired capacity with every instance InService.</summary>
    public static async Task<AutoScalingGroup> WaitForDesiredCapacityAsync(LabActionContext context, string name, CancellationToken cancellationToken)
    {
        AutoScalingGroup? group = null;
        await CloudSteps.WaitUntilAsync(context, async () =>
        {
            group = await DescribeAsync(context, name, cancellationToken);
            return group is not null && AtDesiredCapacity(group);
        }, "The group's instances did not all reach InService in time. Look at its activities (aws autoscaling describe-scaling-activities), then retry.",
           "그룹의 인스턴스가 제시간에 모두 InService가 되지 않았습니다. 그룹의 활동(aws autoscaling describe-scaling-activities)을 살펴본 뒤 다시 시도하세요.", cancellationToken);
        return group!;
    }

    /// <summary>The target group's registrations as DescribeTargetHealth reports them.</summary>
    public static async Task<IReadOnlyList<TargetHealthDescription>> TargetHealthAsync(LabActionContext context, string targetGroupArn, CancellationToken cancellationToken)
    {
        var response = await context.Cloud.Elbv2.DescribeTargetHealthAsync(new DescribeTargetHealthRequest { TargetGroupArn = targetGroupArn }, cancellationToken);
        return response.TargetHealthDescriptions ?? [];
    }

    /// <summary>A target counts as registered unless it is leaving or unknown (draining, unused).</summary>
    public static bool IsRegistered(TargetHealthDescription target) => target.TargetHealth?.State?.Value is not ("draining" or "unused" or null);
}
