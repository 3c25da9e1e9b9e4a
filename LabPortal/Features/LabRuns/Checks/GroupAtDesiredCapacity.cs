using LabPortal.Features.LabRuns.Actions;
using LabPortal.Features.LabRuns.Engine;

namespace LabPortal.Features.LabRuns.Checks;

/// <summary>The lab's Auto Scaling group has its desired number of instances, all InService and healthy.</summary>
public sealed class GroupAtDesiredCapacity : ILabCheck
{
    public string Name => nameof(GroupAtDesiredCapacity);

    public async Task<CheckResult> RunAsync(LabActionContext context, CancellationToken cancellationToken)
    {
        if (context.Outputs.AutoScalingGroupName is not { } name || await AutoScalingGroups.DescribeAsync(context, name, cancellationToken) is not { } group || !AutoScalingGroups.IsRunTagged(context, group))
        {
            return CheckResult.Fail(Name, "There is no Auto Scaling group yet.", "아직 Auto Scaling 그룹이 없습니다.");
        }

        var instances = group.Instances ?? [];
        var inService = instances.Count(i => i.LifecycleState == AutoScalingGroups.InService && i.HealthStatus != "Unhealthy");
        if (AutoScalingGroups.AtDesiredCapacity(group) && inService == group.DesiredCapacity)
        {
            return CheckResult.Pass(Name,
                $"The group has its desired {group.DesiredCapacity} instances, all InService and healthy.",
                $"그룹에 원하는 용량인 {group.DesiredCapacity}대가 모두 InService, 정상 상태로 있습니다.");
        }

        var states = string.Join(", ", instances.Select(i => $"{i.InstanceId} {i.LifecycleState}/{i.HealthStatus}"));
        return CheckResult.Fail(Name,
            $"The group wants {group.DesiredCapacity} instances and has {inService} healthy InService ({states}). Wait for its activities to finish.",
            $"그룹은 {group.DesiredCapacity}대를 원하는데 정상 InService 인스턴스는 {inService}대입니다({states}). 그룹의 활동이 끝날 때까지 기다리세요.");
    }
}
