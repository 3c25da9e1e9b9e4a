using LabPortal.Features.LabRuns.Engine;

namespace LabPortal.Features.LabRuns.Checks;

/// <summary>Each instance serves its own page at its public DNS name (the blog's "open each page").</summary>
public sealed class InstancePagesAnswer : ILabCheck
{
    public string Name => nameof(InstancePagesAnswer);

    public async Task<CheckResult> RunAsync(LabActionContext context, CancellationToken cancellationToken)
    {
        if (!context.HasDataPlane)
        {
            return CheckResult.NotApplicable(Name);
        }

        var problems = new List<string>();
        foreach (var index in new[] { 1, 2 })
        {
            var dns = context.Outputs.InstancePublicDns(index);
            if (string.IsNullOrEmpty(dns) || context.DataPlaneUrl(dns) is not { } url)
            {
                problems.Add($"server {index}: no public DNS name");
                continue;
            }

            var page = await CloudReads.GetPageAsync(url, cancellationToken);
            if (page is not { Status: 200 })
            {
                problems.Add(page is null ? $"{dns} does not answer" : $"{dns} answered {page.Value.Status}");
            }
        }

        return problems.Count == 0
            ? CheckResult.Pass(Name, "Both servers answer with their page.", "두 서버가 모두 자기 페이지로 응답합니다.")
            : CheckResult.Fail(Name,
                $"{string.Join("; ", problems)}. Wait a minute after launch, and check that the security group allows HTTP.",
                $"{string.Join("; ", problems)}. 띄운 뒤 1분쯤 기다리고, 보안 그룹이 HTTP를 허용하는지 확인하세요.");
    }
}
