namespace LabPortal.Tests.Sandbox.AutoScaling;

public sealed class AutoScalingWithoutElbv2Tests : IAsyncLifetime
{
    private AutoScalingTestKit _kit = null!;

    public async Task InitializeAsync() => _kit = await AutoScalingTestKit.StartAsync(withElbv2: false);

    public async Task DisposeAsync() => await _kit.DisposeAsync();

    [Fact]
    public async Task AttachLoadBalancerTargetGroups_fails_with_ValidationError_naming_target_group_when_sandbox_has_no_ELBv2()
    {
        var template = await _kit.CreateLaunchTemplateAsync();
        var subnets = await _kit.SubnetsAsync("ap-northeast-2a");
        await _kit.CreateGroupAsync("web-asg", template, subnets, 0, 1, 0);
        const string arn = "arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:targetgroup/web/0123456789abcdef";

        var attach = await _kit.AsgAsync("AttachLoadBalancerTargetGroups", ("AutoScalingGroupName", "web-asg"), ("TargetGroupARNs.member.1", arn));
        var create = await _kit.AsgAsync("CreateAutoScalingGroup", ("AutoScalingGroupName", "other"), ("LaunchTemplate.LaunchTemplateId", template), ("MinSize", "0"), ("MaxSize", "1"), ("VPCZoneIdentifier", subnets[0]), ("TargetGroupARNs.member.1", arn));

        Assert.Equal("ValidationError", attach.ErrorCode);
        Assert.Contains(arn, attach.Value("Message"), StringComparison.Ordinal);
        Assert.Equal("ValidationError", create.ErrorCode);
        Assert.Null(await _kit.InstancesAsync("other"));
    }
}
