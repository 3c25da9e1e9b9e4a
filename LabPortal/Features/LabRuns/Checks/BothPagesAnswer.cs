using LabPortal.Features.LabRuns.Engine;

namespace LabPortal.Features.LabRuns.Checks;

/// <summary>The load balancer's address answers with both servers' pages over a few requests (the blog's refresh test).</summary>
public sealed class BothPagesAnswer : ILabCheck
{
    public const int Requests = 10;

    public string Name => nameof(BothPagesAnswer);

    public async Task<CheckResult> RunAsync(LabActionContext context, CancellationToken cancellationToken)
    {
        if (!context.HasDataPlane)
        {
            return CheckResult.NotApplicable(Name);
        }

        var dns = context.Outputs.LoadBalancerDns;
        if (string.IsNullOrEmpty(dns) || context.DataPlaneUrl(dns) is not { } url)
        {
            return CheckResult.Fail(Name, "There is no load balancer address yet.", "아직 로드 밸런서 주소가 없습니다.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Requests; i++)
        {
            if (await CloudReads.GetPageAsync(url, cancellationToken) is { Status: 200 } page)
            {
                seen.Add(page.Body.Trim());
            }
        }

        return seen.Count >= 2
            ? CheckResult.Pass(Name, $"Both pages answered over {Requests} requests: the load balancer alternates.", $"요청 {Requests}번에 두 페이지가 모두 응답했습니다. 로드 밸런서가 번갈아 보냅니다.")
            : CheckResult.Fail(Name,
                $"Only {seen.Count} different page(s) answered over {Requests} requests. Are both targets healthy?",
                $"요청 {Requests}번에 서로 다른 페이지가 {seen.Count}개만 응답했습니다. 두 대상이 모두 정상인가요?");
    }
}
