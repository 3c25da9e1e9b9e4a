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
            : CheckResult.Fail(Name, $"No security group named {name}: run the security group step again.", $"{name}이라는 보안 그룹이 없습니다. 보안 그룹 단계를 다시 실행하세요.");
    }
}
