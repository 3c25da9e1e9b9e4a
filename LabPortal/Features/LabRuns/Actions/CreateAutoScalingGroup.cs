using Amazon.Runtime;
using LabPortal.Aws.AutoScaling;
using LabPortal.Features.LabRuns.Engine;
using LabPortal.Infrastructure.Data;

namespace LabPortal.Features.LabRuns.Actions;

/// <summary>
/// Lab 2, step "auto-scaling-group": a group of 2 (minimum 2, maximum 4) from the launch template
/// across the default subnets of zones a and c, as in the post, waited on until both instances are
/// InService. The run's tags propagate to every instance the group launches.
/// </summary>
public sealed class CreateAutoScalingGroup : ILabAction
{
    public const int MinSize = 2;
    public const int MaxSize = 4;
    public const int DesiredCapacity = 2;

    public string Name => nameof(CreateAutoScalingGroup);

    /// <summary>The post's two zones: ap-northeast-2a and ap-northeast-2c in Seoul.</summary>
    public static string[] Zones(string region) => [region + "a", region + "c"];

    public async Task RunAsync(LabActionContext context, CancellationToken cancellationToken)
    {
        var templateName = context.RequireOutput(o => o.LaunchTemplateName, "Create the launch template", "시작 템플릿 만들기");
        var vpcId = context.Outputs.VpcId ?? await CloudSteps.DefaultVpcAsync(context, cancellationToken);
        var name = context.Value("groupName");
        if (name.Contains(':', StringComparison.Ordinal))
        {
            throw new LabStepException("ValidationError", "An Auto Scaling group name cannot contain a colon (:).", "Auto Scaling 그룹 이름에는 콜론(:)을 쓸 수 없습니다.");
        }

        var subnets = new List<string>();
        foreach (var (index, zone) in Zones(context.Region).Select((z, i) => (i + 1, z)))
        {
            var subnetId = await CloudSteps.DefaultSubnetAsync(context, vpcId, zone, cancellationToken);
            await context.SetOutputsAsync(o => o.SetSubnetId(index, subnetId), cancellationToken);
            subnets.Add(subnetId);
        }

        var entry = await context.IntendAsync(ResourceKind.AutoScalingGroup, name, cancellationToken);
        if (entry.ResourceId is null)
        {
            var existing = await AutoScalingGroups.DescribeAsync(context, name, cancellationToken);
            if (existing is not null)
            {
                await RefuseUnlessRunsAsync(context, entry, existing, cancellationToken);
            }
            else
            {
                try
                {
                    var created = await context.Cloud.AutoScaling.CreateAutoScalingGroupAsync(new CreateAutoScalingGroupRequest
                    {
                        AutoScalingGroupName = name,
                        LaunchTemplate = new LaunchTemplateSpecification { LaunchTemplateName = templateName, Version = "$Latest" },
                        MinSize = MinSize,
                        MaxSize = MaxSize,
                        DesiredCapacity = DesiredCapacity,
                        VPCZoneIdentifier = string.Join(',', subnets),
                        Tags = [.. context.Tags(name).Select(t => new Tag { Key = t.Key, Value = t.Value, PropagateAtLaunch = true })],
                    }, cancellationToken);
                    context.Trace(created.ResponseMetadata.RequestId);
                }
                catch (AmazonServiceException e) when (e.ErrorCode == "AlreadyExists")
                {
                    // Created meanwhile: by an earlier attempt whose answer was lost (adopted), or by someone else (refused).
                    if (await AutoScalingGroups.DescribeAsync(context, name, cancellationToken) is { } raced)
                    {
                        await RefuseUnlessRunsAsync(context, entry, raced, cancellationToken);
                    }
                }
            }

            await context.CompleteAsync(entry, name, cancellationToken);
        }

        await context.SetOutputsAsync(o => o.AutoScalingGroupName = name, cancellationToken);
        await AutoScalingGroups.WaitForDesiredCapacityAsync(context, name, cancellationToken);
    }

    /// <summary>A group found by the name is adopted only when it carries this run's tag (issue 13); otherwise the step fails, nothing changed.</summary>
    private static async Task RefuseUnlessRunsAsync(LabActionContext context, Infrastructure.Data.LedgerEntry entry, AutoScalingGroup group, CancellationToken cancellationToken)
    {
        if (!AutoScalingGroups.IsRunTagged(context, group))
        {
            await context.DropIntentAsync(entry, cancellationToken);
            throw CloudSteps.NotOwned("Auto Scaling group", "Auto Scaling 그룹", group.AutoScalingGroupName ?? "");
        }
    }
}
