using Amazon.EC2.Model;
using LabPortal.Aws.Elbv2;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Data;
using LabPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.E2E;

/// <summary>
/// Lab 1 with <c>Cloud:Mode=Aws</c> pointed at moto, an independent AWS emulator: the same actions
/// must work against a second implementation of the API. moto has no data plane, so only the
/// control-plane steps run.
/// </summary>
[Trait("Category", "Moto")]
public sealed class Lab1OnMotoTests : IAsyncLifetime
{
    private MotoPortal _portal = null!;

    private PortalFactory _factory = null!;

    public async Task InitializeAsync()
    {
        _portal = await MotoPortal.StartAsync();
        _factory = _portal.Factory;
    }

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    [Fact]
    public async Task Every_control_plane_step_succeeds_and_teardown_leaves_nothing()
    {
        var flow = await Lab1Flow.StartAsync(_factory, "Moto Student");
        await flow.PassQuizAsync("concepts");

        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("security-group"));
        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("instances"));
        var opened = await flow.CheckAsync("open-instances");
        Lab1Flow.AssertNoneFailed(opened);
        Assert.StartsWith("NotApplicable", opened["InstancePagesAnswer"], StringComparison.Ordinal);
        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("target-group"));
        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("load-balancer"));
        Lab1Flow.AssertNoneFailed(await flow.CheckAsync("verify-traffic"));

        var outputs = await flow.OutputsAsync();
        Assert.StartsWith("arn:aws:elasticloadbalancing:ap-northeast-2:", outputs["loadBalancerArn"], StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(outputs["loadBalancerDns"]));

        var aws = _factory.Services.GetRequiredService<CloudClientFactory>().For(new AwsCredential(_portal.Moto.Region, _portal.Moto.Endpoint, _portal.Moto.AccessKey, _portal.Moto.SecretKey));
        var health = await aws.Elbv2.DescribeTargetHealthAsync(new DescribeTargetHealthRequest { TargetGroupArn = outputs["targetGroupArn"] });
        Assert.Equal(2, health.TargetHealthDescriptions!.Count);

        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("finish"));

        Assert.All(await flow.LedgerAsync(), e => Assert.Equal(LedgerState.Deleted, e.State));
        var balancers = await aws.Elbv2.DescribeLoadBalancersAsync(new DescribeLoadBalancersRequest());
        Assert.DoesNotContain(balancers.LoadBalancers ?? [], b => b.LoadBalancerArn == outputs["loadBalancerArn"]);
        var instances = await aws.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [outputs["instance1Id"], outputs["instance2Id"]] });
        Assert.All((instances.Reservations ?? []).SelectMany(r => r.Instances ?? []), i => Assert.Equal("terminated", i.State?.Name));
        var groups = await aws.Ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { Filters = [new Filter { Name = "group-id", Values = [outputs["securityGroupId"], outputs["albSecurityGroupId"]] }] });
        Assert.Empty(groups.SecurityGroups ?? []);
    }
}
