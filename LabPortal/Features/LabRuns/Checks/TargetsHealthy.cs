using LabPortal.Aws.Elbv2;
using LabPortal.Features.LabRuns.Engine;

namespace LabPortal.Features.LabRuns.Checks;

public sealed class TargetsHealthy : ILabCheck
{
    public string Name => nameof(TargetsHealthy);

    public async Task<CheckResult> RunAsync(LabActionContext context, CancellationToken cancellationToken)
    {
        var tg = context.Outputs.TargetGroupArn;
        if (tg is null)
        {
            return CheckResult.Fail(Name, "There is no target group yet.", "아직 대상 그룹이 없습니다.");
        }

        var health = await context.Cloud.Elbv2.DescribeTargetHealthAsync(new DescribeTargetHealthRequest { TargetGroupArn = tg }, cancellationToken);
        // A draining target is on its way out (deregistered, e.g. replaced by Auto Scaling) and gets no new requests: not counted.
        var targets = (health.TargetHealthDescriptions ?? []).Where(t => t.TargetHealth?.State != "draining").ToList();
        var unhealthy = targets.Where(t => t.TargetHealth?.State != "healthy").ToList();
        if (targets.Count == 0)
        {
            return CheckResult.Fail(Name, "No target is registered in the target group.", "대상 그룹에 등록된 대상이 없습니다.");
        }

        return unhealthy.Count == 0
            ? CheckResult.Pass(Name, $"All {targets.Count} targets are healthy.", $"대상 {targets.Count}개가 모두 정상(healthy)입니다.")
            : CheckResult.Fail(Name,
                string.Join("; ", unhealthy.Select(t => $"{t.Target?.Id}: {t.TargetHealth?.State} ({t.TargetHealth?.Reason}) {t.TargetHealth?.Description}")) + ". A new target needs one passing health check; an unhealthy one usually means the web server is down.",
                string.Join("; ", unhealthy.Select(t => $"{t.Target?.Id}: {t.TargetHealth?.State} ({t.TargetHealth?.Reason})")) + ". 새 대상은 상태 검사를 한 번 통과해야 정상이 됩니다. unhealthy는 보통 웹 서버가 멈췄다는 뜻입니다.");
    }
}
