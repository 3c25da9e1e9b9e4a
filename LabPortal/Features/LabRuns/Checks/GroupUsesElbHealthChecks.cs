using LabPortal.Features.LabRuns.Actions;
using LabPortal.Features.LabRuns.Engine;

namespace LabPortal.Features.LabRuns.Checks;

/// <summary>The group's health check type includes ELB, so it replaces instances the load balancer finds unhealthy.</summary>
public sealed class GroupUsesElbHealthChecks : ILabCheck
{
    public string Name => nameof(GroupUsesElbHealthChecks);

    public async Task<CheckResult> RunAsync(LabActionContext context, CancellationToken cancellationToken)
    {
        if (context.Outputs.AutoScalingGroupName is not { } name || await AutoScalingGroups.DescribeAsync(context, name, cancellationToken) is not { } group || !AutoScalingGroups.IsRunTagged(context, group))
        {
            return CheckResult.Fail(Name, "There is no Auto Scaling group yet.", "아직 Auto Scaling 그룹이 없습니다.");
        }

        // HealthCheckType is a comma-separated list (EC2 is always implied): "ELB" or e.g. "ELB,EBS".
        var types = (group.HealthCheckType ?? "EC2").Split(',', StringSplitOptions.TrimEntries);
        return types.Contains("ELB", StringComparer.Ordinal)
            ? CheckResult.Pass(Name,
                $"The group uses ELB health checks with a grace period of {group.HealthCheckGracePeriod} s.",
                $"그룹이 ELB 상태 확인을 쓰고 유예 기간은 {group.HealthCheckGracePeriod}초입니다.")
            : CheckResult.Fail(Name,
                $"The group's health check type is {group.HealthCheckType}: it ignores the load balancer's health checks.",
                $"그룹의 상태 확인 유형이 {group.HealthCheckType}입니다. 로드 밸런서의 상태 검사 결과를 무시합니다.");
    }
}
