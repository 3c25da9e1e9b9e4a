using LabPortal.Features.LabRuns.Engine;

namespace LabPortal.Features.LabRuns.Checks;

public sealed class SecurityGroupExists : ILabCheck
{
    public string Name => nameof(SecurityGroupExists);

    public async Task<CheckResult> RunAsync(LabActionContext context, CancellationToken cancellationToken)
    {
        var name = context.Value("groupName");
        return await CloudReads.SecurityGroupAsync(context, cancellationToken) is not null
            ? CheckResult.Pass(Name, $"The security group {name} exists.", $"보안 그룹 {name}이(가) 있습니다.")
            : CheckResult.Fail(Name, $"This lab run has no security group named {name} (yet): run the security group step.", $"이 실습 실행에는 {name} 보안 그룹이 (아직) 없습니다. 보안 그룹 단계를 실행하세요.");
    }
}
