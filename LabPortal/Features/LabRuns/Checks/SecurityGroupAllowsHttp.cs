using LabPortal.Features.LabRuns.Engine;

namespace LabPortal.Features.LabRuns.Checks;

public sealed class SecurityGroupAllowsHttp : ILabCheck
{
    public string Name => nameof(SecurityGroupAllowsHttp);

    public async Task<CheckResult> RunAsync(LabActionContext context, CancellationToken cancellationToken)
    {
        var name = context.Value("groupName");
        var group = await CloudReads.SecurityGroupAsync(context, cancellationToken);
        var allows = group?.IpPermissions?.Any(p => p.IpProtocol is "tcp" or "-1" && (p.FromPort is null || p.FromPort <= 80) && (p.ToPort is null || p.ToPort >= 80) && p.Ipv4Ranges is { Count: > 0 }) == true;
        return allows
            ? CheckResult.Pass(Name, "HTTP (port 80) is allowed in.", "HTTP(80번 포트) 인바운드가 허용되어 있습니다.")
            : CheckResult.Fail(Name, $"The group {name} does not let HTTP (port 80) in: the pages cannot be reached.", $"{name} 그룹이 HTTP(80번 포트)를 허용하지 않아 페이지에 접속할 수 없습니다.");
    }
}
