using Amazon.Runtime;
using LabPortal.Aws.Elbv2;
using LabPortal.Features.LabRuns.Engine;
using LabPortal.Infrastructure.Data;
using ElbAction = LabPortal.Aws.Elbv2.Action;

namespace LabPortal.Features.LabRuns.Actions;

/// <summary>
/// Labs 1 and 2, step "load-balancer": an internet-facing ALB in both subnets with its own security
/// group (HTTP from anywhere) and an HTTP:80 listener forwarding to the target group, waited on
/// until it is active.
/// </summary>
public sealed class CreateLoadBalancerWithListener : ILabAction
{
    public string Name => nameof(CreateLoadBalancerWithListener);

    public async Task RunAsync(LabActionContext context, CancellationToken cancellationToken)
    {
        var vpcId = context.RequireOutput(o => o.VpcId, "Security group", "보안 그룹");
        var targetGroupArn = context.RequireOutput(o => o.TargetGroupArn, "Target group", "대상 그룹");
        string[] subnets =
        [
            context.RequireOutput(o => o.Subnet1Id, "Launch the servers", "서버 띄우기"),
            context.RequireOutput(o => o.Subnet2Id, "Launch the servers", "서버 띄우기"),
        ];

        var albGroupId = await CloudSteps.EnsureSecurityGroupAsync(context, context.Value("albSecurityGroupName"), "Load balancer: HTTP from anywhere (LabPortal)", vpcId, cancellationToken);
        await CloudSteps.AllowIngressAsync(context, albGroupId, 80, "0.0.0.0/0", cancellationToken);
        await context.SetOutputsAsync(o => o.AlbSecurityGroupId = albGroupId, cancellationToken);

        var name = context.Value("loadBalancerName");
        var entry = await context.IntendAsync(ResourceKind.LoadBalancer, name, cancellationToken);
        var loadBalancerArn = entry.ResourceId;
        if (loadBalancerArn is null && await FindAsync(context, name, cancellationToken) is { } existing)
        {
            // ELBv2 would answer a create with the same name and settings with this existing load
            // balancer: it is the run's only when it carries the run's tag (a retry after a crash).
            if (!await TargetGroups.IsRunTaggedAsync(context, existing, cancellationToken))
            {
                await context.DropIntentAsync(entry, cancellationToken);
                throw CloudSteps.NotOwned("load balancer", "로드 밸런서", name);
            }

            loadBalancerArn = existing;
            await context.CompleteAsync(entry, loadBalancerArn, cancellationToken);
        }

        if (loadBalancerArn is null)
        {
            var created = await context.Cloud.Elbv2.CreateLoadBalancerAsync(new CreateLoadBalancerRequest
            {
                Name = name,
                Type = "application",
                Scheme = "internet-facing",
                Subnets = [.. subnets],
                SecurityGroups = [albGroupId],
                Tags = CloudSteps.ElbTags(context.Tags(name)),
            }, cancellationToken);
            context.Trace(created.ResponseMetadata.RequestId);
            loadBalancerArn = CloudSteps.FirstOf(created.LoadBalancers)?.LoadBalancerArn
                ?? throw new LabStepException("NoLoadBalancer", "CreateLoadBalancer returned no load balancer.", "CreateLoadBalancer가 로드 밸런서를 돌려주지 않았습니다.");
            await context.CompleteAsync(entry, loadBalancerArn, cancellationToken);
        }

        await context.SetOutputsAsync(o => o.LoadBalancerArn = loadBalancerArn, cancellationToken);
        var listenerArn = await EnsureListenerAsync(context, loadBalancerArn, targetGroupArn, cancellationToken);
        await context.SetOutputsAsync(o => o.ListenerArn = listenerArn, cancellationToken);

        LoadBalancer? balancer = null;
        await CloudSteps.WaitUntilAsync(context, async () =>
        {
            var described = await context.Cloud.Elbv2.DescribeLoadBalancersAsync(new DescribeLoadBalancersRequest { LoadBalancerArns = [loadBalancerArn] }, cancellationToken);
            balancer = CloudSteps.FirstOf(described.LoadBalancers);
            return balancer?.State?.Code == "active";
        }, "The load balancer did not become active in time. Retry in a minute.",
           "로드 밸런서가 제시간에 활성 상태가 되지 않았습니다. 1분 뒤 다시 시도하세요.", cancellationToken);
        await context.SetOutputsAsync(o => o.LoadBalancerDns = balancer!.DNSName ?? "", cancellationToken);
    }

    /// <summary>The ARN of the account's load balancer with this name, or null.</summary>
    private static async Task<string?> FindAsync(LabActionContext context, string name, CancellationToken cancellationToken)
    {
        try
        {
            var found = await context.Cloud.Elbv2.DescribeLoadBalancersAsync(new DescribeLoadBalancersRequest { Names = [name] }, cancellationToken);
            context.Trace(found.ResponseMetadata.RequestId);
            return CloudSteps.FirstOf(found.LoadBalancers)?.LoadBalancerArn;
        }
        catch (AmazonServiceException e) when (e.ErrorCode == "LoadBalancerNotFound")
        {
            return null;
        }
    }

    /// <summary>The run's HTTP:80 listener: on the run's own load balancer, so one found there after a crash is the run's (a member of what it owns).</summary>
    private static async Task<string> EnsureListenerAsync(LabActionContext context, string loadBalancerArn, string targetGroupArn, CancellationToken cancellationToken)
    {
        var entry = await context.IntendAsync(ResourceKind.Listener, "http-80", cancellationToken);
        if (entry.ResourceId is { } known)
        {
            return known;
        }

        await context.RequireOwnedAsync(ResourceKind.LoadBalancer, loadBalancerArn, cancellationToken);
        var existing = await context.Cloud.Elbv2.DescribeListenersAsync(new DescribeListenersRequest { LoadBalancerArn = loadBalancerArn }, cancellationToken);
        var listenerArn = existing.Listeners?.FirstOrDefault(l => l.Port == 80)?.ListenerArn;
        if (listenerArn is null)
        {
            var created = await context.Cloud.Elbv2.CreateListenerAsync(new CreateListenerRequest
            {
                LoadBalancerArn = loadBalancerArn,
                Protocol = "HTTP",
                Port = 80,
                DefaultActions = [new ElbAction { Type = "forward", TargetGroupArn = targetGroupArn }],
            }, cancellationToken);
            context.Trace(created.ResponseMetadata.RequestId);
            listenerArn = CloudSteps.FirstOf(created.Listeners)?.ListenerArn
                ?? throw new LabStepException("NoListener", "CreateListener returned no listener.", "CreateListener가 리스너를 돌려주지 않았습니다.");
        }

        await context.CompleteAsync(entry, listenerArn, cancellationToken);
        return listenerArn;
    }
}
