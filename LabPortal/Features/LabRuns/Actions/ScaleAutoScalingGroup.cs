using LabPortal.Aws.AutoScaling;
using LabPortal.Features.LabRuns.Engine;

namespace LabPortal.Features.LabRuns.Actions;

/// <summary>
/// Lab 2, step "scale-before-attach": raises the group's desired capacity and waits until the new
/// instances are InService, before the group is attached to the target group, so the learner sees
/// that a target group does not follow the group by itself.
/// </summary>
public sealed class ScaleAutoScalingGroup : ILabAction
{
    public string Name => nameof(ScaleAutoScalingGroup);

    public async Task RunAsync(LabActionContext context, CancellationToken cancellationToken)
    {
        var group = await AutoScalingGroups.RequireAsync(context, cancellationToken);
        var desired = context.IntValue("desiredCapacity");
        if (desired < group.MinSize || desired > group.MaxSize)
        {
            // SetDesiredCapacity refuses a value outside the group's minimum and maximum (ValidationError).
            throw new LabStepException("ValidationError",
                $"Choose a desired capacity from {group.MinSize} to {group.MaxSize}: the group's minimum and maximum.",
                $"원하는 용량은 그룹의 최소값과 최대값 사이인 {group.MinSize}~{group.MaxSize}로 고르세요.");
        }

        var response = await context.Cloud.AutoScaling.SetDesiredCapacityAsync(new SetDesiredCapacityRequest
        {
            AutoScalingGroupName = group.AutoScalingGroupName,
            DesiredCapacity = desired,
        }, cancellationToken);
        context.Trace(response.ResponseMetadata.RequestId);
        await AutoScalingGroups.WaitForDesiredCapacityAsync(context, group.AutoScalingGroupName!, cancellationToken);
    }
}
