using LabPortal.Aws.AutoScaling;
using LabPortal.Features.LabRuns.Engine;

namespace LabPortal.Features.LabRuns.Actions;

/// <summary>
/// Lab 2, step "elb-health-checks": the group also trusts the load balancer's health checks
/// (HealthCheckType ELB) after the learner's grace period, so an instance whose web server died is
/// replaced although EC2 still calls it healthy.
/// </summary>
public sealed class EnableElbHealthChecks : ILabAction
{
    public string Name => nameof(EnableElbHealthChecks);

    public async Task RunAsync(LabActionContext context, CancellationToken cancellationToken)
    {
        var group = await AutoScalingGroups.RequireAsync(context, cancellationToken);
        var grace = context.IntValue("gracePeriod");
        var response = await context.Cloud.AutoScaling.UpdateAutoScalingGroupAsync(new UpdateAutoScalingGroupRequest
        {
            AutoScalingGroupName = group.AutoScalingGroupName,
            HealthCheckType = "ELB",
            HealthCheckGracePeriod = grace,
        }, cancellationToken);
        context.Trace(response.ResponseMetadata.RequestId);

        var updated = await AutoScalingGroups.DescribeAsync(context, group.AutoScalingGroupName!, cancellationToken);
        if (updated?.HealthCheckType != "ELB" || updated.HealthCheckGracePeriod != grace)
        {
            throw new LabStepException("NotUpdated",
                $"The group still reports health check type {updated?.HealthCheckType} and grace period {updated?.HealthCheckGracePeriod}. Retry.",
                $"그룹이 아직 상태 확인 유형 {updated?.HealthCheckType}, 유예 기간 {updated?.HealthCheckGracePeriod}로 보고합니다. 다시 시도하세요.");
        }
    }
}
