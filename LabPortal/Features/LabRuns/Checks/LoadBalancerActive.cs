using LabPortal.Features.LabRuns.Engine;

namespace LabPortal.Features.LabRuns.Checks;

public sealed class LoadBalancerActive : ILabCheck
{
    public string Name => nameof(LoadBalancerActive);

    public async Task<CheckResult> RunAsync(LabActionContext context, CancellationToken cancellationToken)
    {
        var arn = context.Outputs.LoadBalancerArn;
        var balancer = arn is null ? null : await CloudReads.LoadBalancerAsync(context, arn, cancellationToken);
        return balancer?.State?.Code?.Value switch
        {
            "active" => CheckResult.Pass(Name, "The load balancer is active.", "로드 밸런서가 활성 상태입니다."),
            null => CheckResult.Fail(Name, "The load balancer does not exist (any more). Run the load balancer step.", "로드 밸런서가 없습니다. 로드 밸런서 단계를 실행하세요."),
            var state => CheckResult.Fail(Name, $"The load balancer is {state}; it takes a few minutes to become active.", $"로드 밸런서가 {state} 상태입니다. 활성이 되기까지 몇 분 걸립니다."),
        };
    }
}
