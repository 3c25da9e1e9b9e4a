using Amazon.Runtime;
using LabPortal.Aws.Elbv2;
using LabPortal.Features.LabRuns.Engine;
using LabPortal.Infrastructure.Data;

namespace LabPortal.Features.LabRuns.Actions;

public static class TargetGroups
{
    /// <summary>
    /// Creates an HTTP:80 instance target group with the given health check settings, recorded in the
    /// ledger. ELBv2 answers a repeated create with the same settings with the existing group
    /// (aws-behaviour.md §2.3), which would hand back a group of the same name that is not the run's:
    /// so a group found by the name first is adopted only when it carries this run's tag (a retry after
    /// a crash); otherwise the step fails and nothing is changed (issue 13).
    /// </summary>
    public static async Task<string> EnsureAsync(LabActionContext context, string name, string vpcId, CreateTargetGroupRequest settings, CancellationToken cancellationToken)
    {
        var entry = await context.IntendAsync(ResourceKind.TargetGroup, name, cancellationToken);
        if (entry.ResourceId is { } known)
        {
            return known;
        }

        if (await FindAsync(context, name, cancellationToken) is { } existing)
        {
            if (!await IsRunTaggedAsync(context, existing, cancellationToken))
            {
                await context.DropIntentAsync(entry, cancellationToken);
                throw CloudSteps.NotOwned("target group", "대상 그룹", name);
            }

            await context.CompleteAsync(entry, existing, cancellationToken);
            return existing;
        }

        settings.Name = name;
        settings.Protocol = "HTTP";
        settings.Port = 80;
        settings.VpcId = vpcId;
        settings.TargetType = "instance";
        settings.Tags = CloudSteps.ElbTags(context.Tags(name));
        var created = await context.Cloud.Elbv2.CreateTargetGroupAsync(settings, cancellationToken);
        context.Trace(created.ResponseMetadata.RequestId);
        var arn = CloudSteps.FirstOf(created.TargetGroups)?.TargetGroupArn
            ?? throw new LabStepException("NoTargetGroup", "CreateTargetGroup returned no target group.", "CreateTargetGroup이 대상 그룹을 돌려주지 않았습니다.");
        await context.CompleteAsync(entry, arn, cancellationToken);
        return arn;
    }

    /// <summary>Registers instances with one of the run's own target groups (issue 13: registrations go only to what the run owns).</summary>
    public static async Task RegisterAsync(LabActionContext context, string targetGroupArn, IEnumerable<string> instanceIds, CancellationToken cancellationToken)
    {
        await context.RequireOwnedAsync(ResourceKind.TargetGroup, targetGroupArn, cancellationToken);
        var registered = await context.Cloud.Elbv2.RegisterTargetsAsync(new RegisterTargetsRequest
        {
            TargetGroupArn = targetGroupArn,
            Targets = [.. instanceIds.Select(id => new TargetDescription { Id = id, Port = 80 })],
        }, cancellationToken);
        context.Trace(registered.ResponseMetadata.RequestId);
    }

    /// <summary>The ARN of the account's target group with this name, or null.</summary>
    private static async Task<string?> FindAsync(LabActionContext context, string name, CancellationToken cancellationToken)
    {
        try
        {
            var found = await context.Cloud.Elbv2.DescribeTargetGroupsAsync(new DescribeTargetGroupsRequest { Names = [name] }, cancellationToken);
            context.Trace(found.ResponseMetadata.RequestId);
            return CloudSteps.FirstOf(found.TargetGroups)?.TargetGroupArn;
        }
        catch (AmazonServiceException e) when (e.ErrorCode == "TargetGroupNotFound")
        {
            return null;
        }
    }

    /// <summary>True when the load balancer or target group with this ARN carries this run's tag (ELBv2 DescribeTags).</summary>
    public static async Task<bool> IsRunTaggedAsync(LabActionContext context, string arn, CancellationToken cancellationToken)
    {
        var tags = await context.Cloud.Elbv2.DescribeTagsAsync(new DescribeTagsRequest { ResourceArns = [arn] }, cancellationToken);
        context.Trace(tags.ResponseMetadata.RequestId);
        return context.IsRunTagged((tags.TagDescriptions ?? []).SelectMany(d => d.Tags ?? []).Select(t => (t.Key, t.Value)));
    }
}
