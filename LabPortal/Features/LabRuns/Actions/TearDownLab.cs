using LabPortal.Aws.AutoScaling;
using LabPortal.Aws.Core;
using LabPortal.Aws.Ec2;
using LabPortal.Aws.Elbv2;
using LabPortal.Features.LabRuns.Engine;
using LabPortal.Infrastructure.Data;

namespace LabPortal.Features.LabRuns.Actions;

/// <summary>
/// The last step of every lab: deletes what the ledger says the run owns, in dependency order
/// (groups, listeners and rules, load balancers, target groups, instances, launch templates, security
/// groups), waiting where AWS needs time and retrying what it refuses for a while
/// (DependencyViolation, ResourceInUse). A resource already gone counts as deleted; nothing is
/// reported deleted that was not.
/// </summary>
public sealed class TearDownLab : ILabAction
{
    /// <summary>Deletion order: a kind is deleted only after every kind before it.</summary>
    public static readonly string[] Order = ["AutoScalingGroup", "Rule", "Listener", "LoadBalancer", "TargetGroup", "Instance", "LaunchTemplate", "SecurityGroup"];

    private static readonly HashSet<string> GoneCodes =
    [
        "InvalidGroup.NotFound", "InvalidInstanceID.NotFound", "InvalidLaunchTemplateName.NotFoundException", "InvalidLaunchTemplateId.NotFound",
        "LoadBalancerNotFound", "TargetGroupNotFound", "ListenerNotFound", "RuleNotFound",
    ];

    private static readonly HashSet<string> NotYetCodes = ["DependencyViolation", "ResourceInUse", "ScalingActivityInProgress"];

    public string Name => nameof(TearDownLab);

    public async Task RunAsync(LabActionContext context, CancellationToken cancellationToken)
    {
        var live = await context.LiveLedgerAsync(cancellationToken);
        foreach (var kind in Order)
        {
            var entries = live.Where(e => e.Kind == kind).ToList();
            if (kind == "Instance" && entries.Count > 0)
            {
                await TerminateInstancesAsync(context, entries, cancellationToken);
                continue;
            }

            foreach (var entry in entries)
            {
                await DeleteWithRetriesAsync(context, entry, cancellationToken);
            }
        }

        context.Run.Status = LabRunStatus.TornDown;
        context.Run.FinishedAtUtc = context.Time.GetUtcNow().UtcDateTime;
    }

    private static async Task DeleteWithRetriesAsync(LabActionContext context, LedgerEntry entry, CancellationToken cancellationToken)
    {
        if (entry.ResourceId is null)
        {
            // Intended but never created (the create call failed or never ran): nothing to delete.
            await context.MarkDeletedAsync(entry, cancellationToken);
            return;
        }

        var deadline = context.Time.GetUtcNow() + CloudSteps.WaitLimit;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await DeleteAsync(context, entry, cancellationToken);
                break;
            }
            catch (AwsServiceException e) when (GoneCodes.Contains(e.Code) || (e.Code == "ValidationError" && e.Message.Contains("not found", StringComparison.OrdinalIgnoreCase)))
            {
                break;
            }
            catch (AwsServiceException e) when (NotYetCodes.Contains(e.Code) && context.Time.GetUtcNow() < deadline)
            {
                // The resource still has dependants that AWS is removing (e.g. an ALB's network interfaces).
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(10, 1 << Math.Min(attempt, 3))), context.Time, cancellationToken);
            }
        }

        await context.MarkDeletedAsync(entry, cancellationToken);
    }

    private static async Task DeleteAsync(LabActionContext context, LedgerEntry entry, CancellationToken cancellationToken)
    {
        var id = entry.ResourceId!;
        AwsResponse response = entry.Kind switch
        {
            "AutoScalingGroup" => await context.Cloud.AutoScaling.DeleteAutoScalingGroupAsync(new DeleteAutoScalingGroupRequest { AutoScalingGroupName = id, ForceDelete = true }, cancellationToken),
            "Rule" => await context.Cloud.Elbv2.DeleteRuleAsync(new DeleteRuleRequest { RuleArn = id }, cancellationToken),
            "Listener" => await context.Cloud.Elbv2.DeleteListenerAsync(new DeleteListenerRequest { ListenerArn = id }, cancellationToken),
            "LoadBalancer" => await context.Cloud.Elbv2.DeleteLoadBalancerAsync(new DeleteLoadBalancerRequest { LoadBalancerArn = id }, cancellationToken),
            "TargetGroup" => await context.Cloud.Elbv2.DeleteTargetGroupAsync(new DeleteTargetGroupRequest { TargetGroupArn = id }, cancellationToken),
            "LaunchTemplate" => await context.Cloud.Ec2.DeleteLaunchTemplateAsync(new DeleteLaunchTemplateRequest { LaunchTemplateId = id }, cancellationToken),
            "SecurityGroup" => await context.Cloud.Ec2.DeleteSecurityGroupAsync(new DeleteSecurityGroupRequest { GroupId = id }, cancellationToken),
            _ => throw new InvalidOperationException($"The ledger holds a resource kind teardown does not know: {entry.Kind}."),
        };
        context.Trace(response.RequestId);
    }

    /// <summary>Terminates the run's instances together and waits until AWS reports them terminated.</summary>
    private static async Task TerminateInstancesAsync(LabActionContext context, List<LedgerEntry> entries, CancellationToken cancellationToken)
    {
        var ids = entries.Where(e => e.ResourceId is not null).Select(e => e.ResourceId!).ToList();
        if (ids.Count > 0)
        {
            try
            {
                var response = await context.Cloud.Ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = ids }, cancellationToken);
                context.Trace(response.RequestId);
                await CloudSteps.WaitUntilAsync(context, async () =>
                {
                    var described = await context.Cloud.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = ids }, cancellationToken);
                    return (described.Reservations ?? []).SelectMany(r => r.Instances ?? []).All(i => i.State?.Name == "terminated");
                }, "The instances did not terminate in time; teardown will retry.", "인스턴스가 제시간에 종료되지 않았습니다. 정리 작업을 다시 시도합니다.", cancellationToken);
            }
            catch (AwsServiceException e) when (e.Code == "InvalidInstanceID.NotFound")
            {
                // Already gone (terminated instances disappear from AWS after about an hour).
            }
        }

        foreach (var entry in entries)
        {
            await context.MarkDeletedAsync(entry, cancellationToken);
        }
    }
}
