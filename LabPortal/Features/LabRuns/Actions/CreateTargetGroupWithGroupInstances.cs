using LabPortal.Aws.Elbv2;
using LabPortal.Features.LabRuns.Engine;

namespace LabPortal.Features.LabRuns.Actions;

/// <summary>
/// Lab 2, step "target-group": an instance target group (AWS's default health checks) with the
/// group's instances of this moment registered by hand, as the post does first. Instances the
/// group launches later are not added: that is the next steps' lesson.
/// </summary>
public sealed class CreateTargetGroupWithGroupInstances : ILabAction
{
    public string Name => nameof(CreateTargetGroupWithGroupInstances);

    public async Task RunAsync(LabActionContext context, CancellationToken cancellationToken)
    {
        var vpcId = context.RequireOutput(o => o.VpcId, "Create the launch template", "시작 템플릿 만들기");
        var path = context.Value("healthCheckPath");
        if (!path.StartsWith('/'))
        {
            throw new LabStepException("ValidationError", "A health check path starts with /.", "상태 검사 경로는 /로 시작해야 합니다.");
        }

        var group = await AutoScalingGroups.RequireAsync(context, cancellationToken);
        var ids = AutoScalingGroups.InServiceInstances(group).Select(i => i.InstanceId!).ToList();
        if (ids.Count == 0)
        {
            throw new LabStepException("NoGroupInstances",
                "The Auto Scaling group has no InService instance to register yet. Wait a minute and retry.",
                "Auto Scaling 그룹에 아직 등록할 InService 인스턴스가 없습니다. 잠시 뒤 다시 시도하세요.");
        }

        var arn = await TargetGroups.EnsureAsync(context, context.Value("targetGroupName"), vpcId, new CreateTargetGroupRequest { HealthCheckPath = path }, cancellationToken);
        // Registering a target that is already registered changes nothing, so a retry is safe.
        await TargetGroups.RegisterAsync(context, arn, ids, cancellationToken);
        await context.SetOutputsAsync(o => o.TargetGroupArn = arn, cancellationToken);
        await context.SetOutputsAsync(o => o.RegisteredByHand = string.Join(' ', ids), cancellationToken);
    }
}
