using LabPortal.Aws.Elbv2;
using LabPortal.Features.LabRuns.Engine;

namespace LabPortal.Features.LabRuns.Actions;

public static class TargetGroups
{
    /// <summary>
    /// Creates an HTTP:80 instance target group with the given health check settings, recorded in the
    /// ledger. ELBv2 answers a repeated create with the same settings with the existing group, so a
    /// retry after a crash is safe (aws-behaviour.md §2.3, DuplicateTargetGroupName).
    /// </summary>
    public static async Task<string> EnsureAsync(LabActionContext context, string name, string vpcId, CreateTargetGroupRequest settings, CancellationToken cancellationToken)
    {
        var entry = await context.IntendAsync("TargetGroup", name, cancellationToken);
        if (entry.ResourceId is { } known)
        {
            return known;
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
}
