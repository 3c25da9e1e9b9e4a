using LabPortal.Aws.Elbv2;
using LabPortal.Features.LabRuns.Engine;

namespace LabPortal.Features.LabRuns.Checks;

public sealed class ListenerForwardsToTargetGroup : ILabCheck
{
    public string Name => nameof(ListenerForwardsToTargetGroup);

    public async Task<CheckResult> RunAsync(LabActionContext context, CancellationToken cancellationToken)
    {
        var lb = context.Outputs.LoadBalancerArn;
        var tg = context.Outputs.TargetGroupArn;
        if (lb is null || tg is null || await CloudReads.LoadBalancerAsync(context, lb, cancellationToken) is null)
        {
            return CheckResult.Fail(Name, "There is no load balancer yet.", "아직 로드 밸런서가 없습니다.");
        }

        var listeners = await context.Cloud.Elbv2.DescribeListenersAsync(new DescribeListenersRequest { LoadBalancerArn = lb }, cancellationToken);
        var forwards = listeners.Listeners?.Any(l => l.Port == 80 && l.DefaultActions?.Any(a => a.Type == "forward" && (a.TargetGroupArn == tg || a.ForwardConfig?.TargetGroups?.Any(t => t.TargetGroupArn == tg) == true)) == true) == true;
        return forwards
            ? CheckResult.Pass(Name, "The HTTP:80 listener forwards to the target group.", "HTTP:80 리스너가 대상 그룹으로 전달합니다.")
            : CheckResult.Fail(Name, "No HTTP:80 listener forwards to the target group.", "대상 그룹으로 전달하는 HTTP:80 리스너가 없습니다.");
    }
}
