using LabPortal.Features.LabRuns.Engine;

namespace LabPortal.Features.LabRuns.Checks;

public sealed class InstancesRunning : ILabCheck
{
    public string Name => nameof(InstancesRunning);

    public async Task<CheckResult> RunAsync(LabActionContext context, CancellationToken cancellationToken)
    {
        var ids = CloudReads.InstanceIds(context);
        if (ids.Length < 2)
        {
            return CheckResult.Fail(Name, "The two web servers have not been launched yet.", "아직 웹 서버 두 대를 띄우지 않았습니다.");
        }

        var instances = await CloudReads.InstancesAsync(context, ids, cancellationToken);
        var notRunning = ids.Where(id => instances.FirstOrDefault(i => i.InstanceId == id)?.State?.Name != "running").ToList();
        return notRunning.Count == 0
            ? CheckResult.Pass(Name, "Both instances are running.", "두 인스턴스가 모두 실행 중입니다.")
            : CheckResult.Fail(Name,
                $"Not running: {string.Join(", ", notRunning.Select(id => $"{id} ({Describe(instances, id)})"))}. Start them again or rerun the instances step.",
                $"실행 중이 아님: {string.Join(", ", notRunning.Select(id => $"{id} ({Describe(instances, id)})"))}. 다시 시작하거나 인스턴스 단계를 다시 실행하세요.");
    }

    private static string Describe(IReadOnlyList<Amazon.EC2.Model.Instance> instances, string id) =>
        instances.FirstOrDefault(i => i.InstanceId == id)?.State?.Name ?? "not found";
}
