using System.Globalization;
using System.Text;
using Amazon.EC2.Model;
using LabPortal.Aws.Elbv2;
using LabPortal.Features.LabRuns.Engine;
using LabPortal.Infrastructure.Data;
using ElbAction = LabPortal.Aws.Elbv2.Action;

namespace LabPortal.Features.LabRuns.Actions;

/// <summary>
/// Lab 2, challenge step "path-routing": one image server (nginx answering "image server" on
/// <c>/</c> and <c>/images/</c>) in a second target group, and a listener rule sending the learner's
/// path pattern to it at the learner's priority; everything else keeps going to the group.
/// </summary>
public sealed class CreateImageTargetGroupAndRule : ILabAction
{
    public const string ImageInstanceName = "image-01";

    public string Name => nameof(CreateImageTargetGroupAndRule);

    public async Task RunAsync(LabActionContext context, CancellationToken cancellationToken)
    {
        var vpcId = context.RequireOutput(o => o.VpcId, "Create the launch template", "시작 템플릿 만들기");
        var groupId = context.RequireOutput(o => o.SecurityGroupId, "Create the launch template", "시작 템플릿 만들기");
        var subnetId = context.RequireOutput(o => o.Subnet1Id, "Create the Auto Scaling group", "Auto Scaling 그룹 만들기");
        var listenerArn = context.RequireOutput(o => o.ListenerArn, "Create the load balancer", "로드 밸런서 만들기");
        var pattern = context.Value("pathPattern");
        if (!pattern.StartsWith('/'))
        {
            throw new LabStepException("ValidationError", "A path pattern starts with /, for example /images/*.", "경로 패턴은 /로 시작해야 합니다. 예: /images/*");
        }

        var priority = context.IntValue("rulePriority");
        var imageTargetGroupArn = await TargetGroups.EnsureAsync(context, context.Value("imageTargetGroupName"), vpcId, new CreateTargetGroupRequest { HealthCheckPath = "/" }, cancellationToken);
        await context.SetOutputsAsync(o => o.ImageTargetGroupArn = imageTargetGroupArn, cancellationToken);

        var instanceId = await EnsureImageServerAsync(context, subnetId, groupId, cancellationToken);
        await context.SetOutputsAsync(o => o.ImageInstanceId = instanceId, cancellationToken);
        await CloudSteps.WaitUntilAsync(context, async () =>
        {
            var described = await context.Cloud.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [instanceId] }, cancellationToken);
            return (described.Reservations ?? []).SelectMany(r => r.Instances ?? []).Any(i => i.State?.Name == "running");
        }, "The image server did not reach the running state in time. Retry.", "이미지 서버가 제시간에 실행 상태가 되지 않았습니다. 다시 시도하세요.", cancellationToken);

        await TargetGroups.RegisterAsync(context, imageTargetGroupArn, [instanceId], cancellationToken);

        var ruleArn = await EnsureRuleAsync(context, listenerArn, pattern, priority, imageTargetGroupArn, cancellationToken);
        await context.SetOutputsAsync(o => o.ImageRuleArn = ruleArn, cancellationToken);
    }

    /// <summary>The image server's user data: nginx with the same page on / and /images/.</summary>
    public static string UserData()
    {
        var script = new StringBuilder()
            .Append("#!/bin/bash\n")
            .Append("dnf install -y nginx\n")
            .Append("mkdir -p /usr/share/nginx/html/images\n")
            .Append("cat > /usr/share/nginx/html/images/index.html <<'EOF'\n<h1>image server</h1>\nEOF\n")
            .Append("cat > /usr/share/nginx/html/index.html <<'EOF'\n<h1>image server</h1>\nEOF\n")
            .Append("systemctl enable --now nginx\n")
            .ToString();
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(script));
    }

    private static async Task<string> EnsureImageServerAsync(LabActionContext context, string subnetId, string groupId, CancellationToken cancellationToken)
    {
        var entry = await context.IntendAsync(ResourceKind.Instance, ImageInstanceName, cancellationToken);
        if (entry.ResourceId is { } known)
        {
            return known;
        }

        var imageId = await LaunchWebInstances.AmazonLinuxImageAsync(context, cancellationToken);
        // The client token is stable per run and resource, so a retry after a crash gets the same instance.
        var response = await context.Cloud.Ec2.RunInstancesAsync(new RunInstancesRequest
        {
            ImageId = imageId,
            InstanceType = context.Value("instanceType"),
            MinCount = 1,
            MaxCount = 1,
            SubnetId = subnetId,
            SecurityGroupIds = [groupId],
            UserData = UserData(),
            ClientToken = entry.ClientToken,
            TagSpecifications = [CloudSteps.TagSpecification("instance", context.Tags(ImageInstanceName))],
        }, cancellationToken);
        context.Trace(response.ResponseMetadata.RequestId);
        var id = CloudSteps.FirstOf(response.Reservation?.Instances)?.InstanceId ?? throw new LabStepException("NoInstance", "RunInstances returned no instance.", "RunInstances가 인스턴스를 돌려주지 않았습니다.");
        await context.CompleteAsync(entry, id, cancellationToken);
        return id;
    }

    private static async Task<string> EnsureRuleAsync(LabActionContext context, string listenerArn, string pattern, int priority, string targetGroupArn, CancellationToken cancellationToken)
    {
        var entry = await context.IntendAsync(ResourceKind.Rule, "priority-" + priority.ToString(CultureInfo.InvariantCulture), cancellationToken);
        if (entry.ResourceId is { } known)
        {
            return known;
        }

        // After a crash the rule may exist already: a listener holds one rule per priority.
        var rules = await context.Cloud.Elbv2.DescribeRulesAsync(new DescribeRulesRequest { ListenerArn = listenerArn }, cancellationToken);
        context.Trace(rules.ResponseMetadata.RequestId);
        var existing = rules.Rules?.FirstOrDefault(r => r.Priority == priority.ToString(CultureInfo.InvariantCulture));
        if (existing is not null && existing.Actions?.Any(a => a.TargetGroupArn == targetGroupArn) != true)
        {
            throw new LabStepException("PriorityInUse",
                $"The listener already has a rule with priority {priority}. Choose another priority.",
                $"리스너에 우선순위 {priority}인 규칙이 이미 있습니다. 다른 우선순위를 고르세요.");
        }

        var ruleArn = existing?.RuleArn;
        if (ruleArn is null)
        {
            var created = await context.Cloud.Elbv2.CreateRuleAsync(new CreateRuleRequest
            {
                ListenerArn = listenerArn,
                Priority = priority,
                Conditions = [new RuleCondition { Field = "path-pattern", Values = [pattern] }],
                Actions = [new ElbAction { Type = "forward", TargetGroupArn = targetGroupArn }],
            }, cancellationToken);
            context.Trace(created.ResponseMetadata.RequestId);
            ruleArn = CloudSteps.FirstOf(created.Rules)?.RuleArn
                ?? throw new LabStepException("NoRule", "CreateRule returned no rule.", "CreateRule이 규칙을 돌려주지 않았습니다.");
        }

        await context.CompleteAsync(entry, ruleArn, cancellationToken);
        return ruleArn;
    }
}
