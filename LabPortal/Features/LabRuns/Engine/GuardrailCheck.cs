using System.Globalization;
using LabPortal.Features.LabRuns.Actions;
using LabPortal.Features.Labs.Definitions;
using LabPortal.Infrastructure.Data;
using LabPortal.Infrastructure.Guardrails;
using Microsoft.EntityFrameworkCore;

namespace LabPortal.Features.LabRuns.Engine;

/// <summary>
/// The class's money guardrails, checked before a step's action makes any call (issue 17): the lab's region,
/// the instance type the learner chose, and the instances and load balancers the learner would hold once
/// the step is done. A refusal fails the step with a sentence in both languages; nothing is created. On the
/// sandbox the same limits are also the account's quotas (<see cref="GuardrailReader.ApplyToSandboxAsync"/>).
/// </summary>
public sealed class GuardrailCheck(PortalDbContext db, GuardrailReader reader)
{
    /// <summary>What each action adds at most: instances (an Auto Scaling group at its maximum size) and load balancers.</summary>
    private static readonly Dictionary<string, (int Instances, int LoadBalancers)> Footprints = new(StringComparer.Ordinal)
    {
        [nameof(LaunchWebInstances)] = (2, 0),
        [nameof(CreateImageTargetGroupAndRule)] = (1, 0),
        [nameof(CreateAutoScalingGroup)] = (CreateAutoScalingGroup.MaxSize, 0),
        [nameof(CreateLoadBalancerWithListener)] = (0, 1),
    };

    public async Task CheckAsync(LabRun run, LabDefinition lab, StepDefinition step, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(step);
        if (run.CloudAccountId is { } accountId && await db.CloudAccounts.SingleOrDefaultAsync(a => a.Id == accountId, cancellationToken) is { } account)
        {
            // The learner may have joined a class since: their sandbox account follows the guardrails that hold now.
            await reader.ApplyToSandboxAsync(account, cancellationToken);
        }

        var values = RunView.ReadJson(run.ValuesJson);
        string Value(string name) => values.TryGetValue(name, out var given) ? given
            : lab.Steps.SelectMany(s => s.Parameters).FirstOrDefault(p => p.Name == name)?.Default ?? "";
        var guardrails = await reader.ForLearnerAsync(run.UserId, cancellationToken);
        if (!guardrails.Regions.Contains(lab.Region, StringComparer.Ordinal))
        {
            throw new LabStepException("GuardrailRegion",
                $"Your class does not allow labs in {lab.Region} (allowed: {List(guardrails.Regions)}). Nothing was created. Ask your instructor.",
                $"수업 설정상 {lab.Region} 리전에서는 실습할 수 없습니다(허용: {List(guardrails.Regions)}). 아무것도 만들지 않았습니다. 강사에게 문의하세요.");
        }

        foreach (var parameter in step.Parameters.Where(p => p.Type == ParameterType.InstanceType))
        {
            var type = Value(parameter.Name);
            if (!guardrails.AllowedInstanceTypes.Contains(type, StringComparer.Ordinal))
            {
                throw new LabStepException("GuardrailInstanceType",
                    $"Your class allows only these instance types: {List(guardrails.AllowedInstanceTypes)}. {type} is not one of them, so nothing was created. Choose an allowed type.",
                    $"수업에서 허용한 인스턴스 유형은 {List(guardrails.AllowedInstanceTypes)}뿐입니다. {type}은(는) 허용되지 않아 아무것도 만들지 않았습니다. 허용된 유형을 고르세요.");
            }
        }

        if (step.Action is not { } action || !Footprints.TryGetValue(action, out var footprint))
        {
            return;
        }

        // What the learner holds in all their runs (the ledger: intended or created, not yet deleted), and what
        // this step adds beyond what an earlier attempt of it already recorded.
        var live = await db.Ledger
            .Where(e => e.LabRun.UserId == run.UserId && e.State != LedgerState.Deleted
                && (e.Kind == ResourceKind.Instance || e.Kind == ResourceKind.AutoScalingGroup || e.Kind == ResourceKind.LoadBalancer))
            .Select(e => new { e.Kind, e.LabRunId, StepId = db.StepRuns.Where(s => s.Id == e.StepRunId).Select(s => s.StepId).FirstOrDefault() })
            .ToListAsync(cancellationToken);
        int Weight(ResourceKind kind) => kind == ResourceKind.AutoScalingGroup ? CreateAutoScalingGroup.MaxSize : 1;
        var heldInstances = live.Where(e => e.Kind != ResourceKind.LoadBalancer).Sum(e => Weight(e.Kind));
        var heldLoadBalancers = live.Count(e => e.Kind == ResourceKind.LoadBalancer);
        var ownInstances = live.Where(e => e.LabRunId == run.Id && e.StepId == step.Id && e.Kind != ResourceKind.LoadBalancer).Sum(e => Weight(e.Kind));
        var ownLoadBalancers = live.Count(e => e.LabRunId == run.Id && e.StepId == step.Id && e.Kind == ResourceKind.LoadBalancer);
        var instances = heldInstances + Math.Max(0, footprint.Instances - ownInstances);
        var loadBalancers = heldLoadBalancers + Math.Max(0, footprint.LoadBalancers - ownLoadBalancers);
        if (instances > guardrails.MaxInstances)
        {
            throw new LabStepException("GuardrailInstances",
                $"This step would bring you to {Count(instances)} instances (an Auto Scaling group counts as its maximum size); your class allows {Count(guardrails.MaxInstances)} at once. Nothing was created. Tear down a lab you finished, or ask your instructor.",
                $"이 단계를 실행하면 인스턴스가 {Count(instances)}개가 됩니다(Auto Scaling 그룹은 최대 크기로 셉니다). 수업에서는 한 번에 {Count(guardrails.MaxInstances)}개까지 허용합니다. 아무것도 만들지 않았습니다. 끝낸 실습을 정리하거나 강사에게 문의하세요.");
        }

        if (loadBalancers > guardrails.MaxLoadBalancers)
        {
            throw new LabStepException("GuardrailLoadBalancers",
                $"This step would bring you to {Count(loadBalancers)} load balancers; your class allows {Count(guardrails.MaxLoadBalancers)} at once. Nothing was created. Tear down a lab you finished, or ask your instructor.",
                $"이 단계를 실행하면 로드 밸런서가 {Count(loadBalancers)}개가 됩니다. 수업에서는 한 번에 {Count(guardrails.MaxLoadBalancers)}개까지 허용합니다. 아무것도 만들지 않았습니다. 끝낸 실습을 정리하거나 강사에게 문의하세요.");
        }
    }

    private static string List(IReadOnlyList<string> values) => values.Count == 0 ? "-" : string.Join(", ", values);

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);
}
