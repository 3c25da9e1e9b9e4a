using Amazon.Runtime;
using LabPortal.Features.Labs.Definitions;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Data;
using LabPortal.Infrastructure.Localization;

namespace LabPortal.Features.LabRuns.Engine;

/// <summary>Runs a step's checks against the cloud ("Check my progress"); a verify step is done when none fails.</summary>
public sealed class ProgressChecker(PortalDbContext db, LearnerCloud cloud, IEnumerable<ILabCheck> checks, TimeProvider time)
{
    public async Task<IReadOnlyList<CheckResult>> CheckAsync(RunView view, StepDefinition step, CancellationToken cancellationToken = default)
    {
        var clients = await cloud.ClientsForAsync(view.Run, view.Lab.Region, cancellationToken);
        var probe = new StepRun { LabRunId = view.Run.Id, StepId = step.Id, CreatedAtUtc = time.GetUtcNow().UtcDateTime };
        var context = new LabActionContext(db, view.Run, probe, view.Lab, clients, cloud.HasDataPlane, time) { DataPlaneUrl = cloud.DataPlaneUrlFor };
        var results = new List<CheckResult>();
        foreach (var name in step.Checks)
        {
            var check = checks.FirstOrDefault(c => c.Name == name);
            if (check is null)
            {
                results.Add(CheckResult.Fail(name, $"This version of LabPortal has no check '{name}'.", $"이 버전의 LabPortal에는 '{name}' 검사가 없습니다."));
                continue;
            }

            try
            {
                results.Add(await check.RunAsync(context, cancellationToken));
            }
            catch (AmazonServiceException e)
            {
                results.Add(CheckResult.Fail(name, $"AWS answered {e.ErrorCode}: {e.Message}", $"AWS가 {e.ErrorCode} 오류로 답했습니다: {e.Message}"));
            }
            catch (LabStepException e)
            {
                results.Add(CheckResult.Fail(name, e.English, e.Korean));
            }
        }

        if (step.Kind == StepKind.Verify && results.Count > 0 && results.All(r => r.Verdict != CheckVerdict.Failed))
        {
            var now = time.GetUtcNow().UtcDateTime;
            db.StepRuns.Add(new StepRun { LabRunId = view.Run.Id, StepId = step.Id, Status = StepRunStatus.Succeeded, Attempts = 1, CreatedAtUtc = now, StartedAtUtc = now, FinishedAtUtc = now });
            view.Run.LastActivityAtUtc = now;
            await db.SaveChangesAsync(cancellationToken);
        }

        return results;
    }

    /// <summary>A message for a step whose check list is empty.</summary>
    public static string NothingToCheck => L.T("This step has nothing to check.", "이 단계에는 확인할 것이 없습니다.");
}
