using LabPortal.Aws.Elbv2;
using LabPortal.Features.LabRuns.Engine;

namespace LabPortal.Features.LabRuns.Actions;

/// <summary>Lab 1, step "target-group": an instance target group on HTTP:80 with both web servers registered.</summary>
public sealed class CreateTargetGroupWithTargets : ILabAction
{
    public string Name => nameof(CreateTargetGroupWithTargets);

    public async Task RunAsync(LabActionContext context, CancellationToken cancellationToken)
    {
        var vpcId = context.RequireOutput(o => o.VpcId, "Security group", "보안 그룹");
        var instances = new[]
        {
            context.RequireOutput(o => o.Instance1Id, "Launch two web servers", "웹 서버 두 대 띄우기"),
            context.RequireOutput(o => o.Instance2Id, "Launch two web servers", "웹 서버 두 대 띄우기"),
        };
        var interval = context.IntValue("healthCheckIntervalSeconds");
        var timeout = context.IntValue("healthCheckTimeoutSeconds");
        if (timeout >= interval)
        {
            throw new LabStepException("ValidationError",
                "The health check timeout must be shorter than its interval.",
                "상태 검사 제한 시간은 검사 간격보다 짧아야 합니다.");
        }

        var path = context.Value("healthCheckPath");
        if (!path.StartsWith('/'))
        {
            throw new LabStepException("ValidationError", "A health check path starts with /.", "상태 검사 경로는 /로 시작해야 합니다.");
        }

        var arn = await TargetGroups.EnsureAsync(context, context.Value("targetGroupName"), vpcId, new CreateTargetGroupRequest
        {
            HealthCheckPath = path,
            HealthCheckIntervalSeconds = interval,
            HealthCheckTimeoutSeconds = timeout,
            HealthyThresholdCount = context.IntValue("healthyThresholdCount"),
            UnhealthyThresholdCount = context.IntValue("unhealthyThresholdCount"),
            Matcher = new Matcher { HttpCode = context.Value("matcher") },
        }, cancellationToken);
        await TargetGroups.RegisterAsync(context, arn, instances, cancellationToken);
        await context.SetOutputsAsync(o => o.TargetGroupArn = arn, cancellationToken);
    }
}
