using Amazon.EC2.Model;
using LabPortal.Aws.AutoScaling;
using LabPortal.Aws.Elbv2;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Data;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.E2E;

/// <summary>
/// Lab 2 with <c>Cloud:Mode=Aws</c> pointed at moto: every control-plane step runs against a second
/// implementation of the APIs. moto has no web servers and no health checks, so the drill step is
/// shown as needing the sandbox or AWS and does not hold back the challenge step.
/// </summary>
[Trait("Category", "Moto")]
public sealed class Lab2OnMotoTests : IAsyncLifetime
{
    private MotoPortal _portal = null!;

    public async Task InitializeAsync() => _portal = await MotoPortal.StartAsync();

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    [Fact]
    public async Task Every_control_plane_step_succeeds_the_drill_is_marked_sandbox_or_AWS_only_and_teardown_leaves_nothing()
    {
        var flow = await Lab2Flow.StartAsync(_portal.Factory, "Moto Lab Two");
        await flow.BuildUpToElbHealthChecksAsync();
        Lab1Flow.AssertNoneFailed(await flow.Pages.CheckAsync("auto-scaling-group"));
        Lab1Flow.AssertNoneFailed(await flow.Pages.CheckAsync("attach"));
        Lab1Flow.AssertNoneFailed(await flow.Pages.CheckAsync("elb-health-checks"));

        var (_, drill) = await flow.Pages.GetStepAsync("drill");
        Assert.Contains("sandbox or real AWS", drill.QuerySelector("#step-status-text[data-state=not-available]")!.TextContent, StringComparison.Ordinal);
        Assert.Null(drill.QuerySelector("#action-form"));
        Assert.Null(drill.QuerySelector("#drill-timeline"));

        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("path-routing"));
        var routed = await flow.Pages.CheckAsync("path-routing");
        Assert.StartsWith("NotApplicable", routed["ImageRuleRoutes"], StringComparison.Ordinal);

        var outputs = await flow.Pages.OutputsAsync();
        var aws = _portal.Factory.Services.GetRequiredService<CloudClientFactory>().For(new AwsCredential(_portal.Moto.Region, _portal.Moto.Endpoint, _portal.Moto.AccessKey, _portal.Moto.SecretKey));
        var group = (await aws.AutoScaling.DescribeAutoScalingGroupsAsync(new DescribeAutoScalingGroupsRequest { AutoScalingGroupNames = [outputs["autoScalingGroupName"]] })).AutoScalingGroups!.Single();
        Assert.Equal("ELB", group.HealthCheckType);
        Assert.Contains(outputs["targetGroupArn"], group.TargetGroupARNs!);
        var rules = await aws.Elbv2.DescribeRulesAsync(new DescribeRulesRequest { ListenerArn = outputs["listenerArn"] });
        Assert.Contains(rules.Rules!, r => r.Actions!.Any(a => a.TargetGroupArn == outputs["imageTargetGroupArn"]));

        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("finish"));

        Assert.All(await flow.Pages.LedgerAsync(), e => Assert.Equal(LedgerState.Deleted, e.State));
        var groups = await aws.AutoScaling.DescribeAutoScalingGroupsAsync(new DescribeAutoScalingGroupsRequest { AutoScalingGroupNames = [outputs["autoScalingGroupName"]] });
        Assert.Empty(groups.AutoScalingGroups ?? []);
        var balancers = await aws.Elbv2.DescribeLoadBalancersAsync(new DescribeLoadBalancersRequest());
        Assert.Empty(balancers.LoadBalancers ?? []);
        var targetGroups = await aws.Elbv2.DescribeTargetGroupsAsync(new DescribeTargetGroupsRequest());
        Assert.Empty(targetGroups.TargetGroups ?? []);
        var templates = await aws.Ec2.DescribeLaunchTemplatesAsync(new DescribeLaunchTemplatesRequest());
        Assert.Empty(templates.LaunchTemplates ?? []);
        var instances = await aws.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest());
        Assert.All((instances.Reservations ?? []).SelectMany(r => r.Instances ?? []), i => Assert.Equal("terminated", i.State?.Name));
        var securityGroups = await aws.Ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { Filters = [new Amazon.EC2.Model.Filter { Name = "group-id", Values = [outputs["securityGroupId"], outputs["albSecurityGroupId"]] }] });
        Assert.Empty(securityGroups.SecurityGroups ?? []);
    }
}
