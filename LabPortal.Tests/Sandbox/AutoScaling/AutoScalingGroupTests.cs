using System.Net;

namespace LabPortal.Tests.Sandbox.AutoScaling;

public sealed class AutoScalingGroupTests : IAsyncLifetime
{
    private AutoScalingTestKit _kit = null!;

    public async Task InitializeAsync() => _kit = await AutoScalingTestKit.StartAsync();

    public async Task DisposeAsync() => await _kit.DisposeAsync();

    [Fact]
    public async Task Group_spreads_instances_across_zones_and_registers_them_when_created_with_target_group()
    {
        var targetGroup = _kit.Targets!.AddTargetGroup("web-tg");
        var template = await _kit.CreateLaunchTemplateAsync();
        var subnets = await _kit.SubnetsAsync("ap-northeast-2a", "ap-northeast-2c");

        await _kit.CreateGroupAsync(
            "web-asg", template, subnets, min: 1, max: 4, desired: 2,
            ("TargetGroupARNs.member.1", targetGroup),
            ("Tags.member.1.Key", "Name"), ("Tags.member.1.Value", "web"), ("Tags.member.1.PropagateAtLaunch", "true"));
        var instances = await _kit.WaitForInServiceAsync("web-asg", 2);

        Assert.Equal(["ap-northeast-2a", "ap-northeast-2c"], instances.Select(i => i.AvailabilityZone).Order());
        Assert.All(instances, i => Assert.Equal("Healthy", i.HealthStatus));
        Assert.Equal(instances.Select(i => i.InstanceId).Order(StringComparer.Ordinal), _kit.Targets.Registered(targetGroup));
        var activities = await _kit.ActivitiesAsync("web-asg");
        Assert.Equal(2, activities.Count);
        Assert.All(activities, a => Assert.StartsWith("Launching a new EC2 instance: i-", a.Description, StringComparison.Ordinal));
        Assert.All(activities, a => Assert.Contains("a user request created an AutoScalingGroup changing the desired capacity from 0 to 2.", a.Cause, StringComparison.Ordinal));
        Assert.All(activities, a => Assert.Equal("Successful", a.StatusCode));
        var tags = (await _kit.Client.Ec2Async("DescribeInstances", ("InstanceId.1", instances[0].InstanceId))).EnsureOk();
        Assert.Contains("aws:autoscaling:groupName", tags.Values("key"));
        Assert.Contains("web-asg", tags.Values("value"));
        Assert.Contains("Name", tags.Values("key"));
    }

    [Fact]
    public async Task SetDesiredCapacity_launches_and_registers_third_instance_and_detach_deregisters_when_raised_to_three()
    {
        var targetGroup = _kit.Targets!.AddTargetGroup("web-tg");
        var template = await _kit.CreateLaunchTemplateAsync();
        var subnets = await _kit.SubnetsAsync("ap-northeast-2a", "ap-northeast-2c");
        await _kit.CreateGroupAsync("web-asg", template, subnets, 1, 4, 2);
        await _kit.WaitForInServiceAsync("web-asg", 2);
        (await _kit.AsgAsync("AttachLoadBalancerTargetGroups", ("AutoScalingGroupName", "web-asg"), ("TargetGroupARNs.member.1", targetGroup))).EnsureOk();
        Assert.Equal(2, _kit.Targets.Registered(targetGroup).Count);

        (await _kit.AsgAsync("SetDesiredCapacity", ("AutoScalingGroupName", "web-asg"), ("DesiredCapacity", "3"))).EnsureOk();
        var instances = await _kit.WaitForInServiceAsync("web-asg", 3);

        Assert.Equal(instances.Select(i => i.InstanceId).Order(StringComparer.Ordinal), _kit.Targets.Registered(targetGroup));
        var newest = (await _kit.ActivitiesAsync("web-asg"))[0];
        Assert.Contains("a user request explicitly set group desired capacity changing the desired capacity from 2 to 3.", newest.Cause, StringComparison.Ordinal);
        Assert.Contains("increasing the capacity from 2 to 3.", newest.Cause, StringComparison.Ordinal);
        var state = (await _kit.AsgAsync("DescribeLoadBalancerTargetGroups", ("AutoScalingGroupName", "web-asg"))).EnsureOk();
        Assert.Equal(targetGroup, state.Value("LoadBalancerTargetGroupARN"));
        Assert.Contains(state.Value("State"), new[] { "Adding", "Added", "InService" });

        (await _kit.AsgAsync("DetachLoadBalancerTargetGroups", ("AutoScalingGroupName", "web-asg"), ("TargetGroupARNs.member.1", targetGroup))).EnsureOk();

        Assert.Empty(_kit.Targets.Registered(targetGroup));
        await TestSandbox.EventuallyAsync(
            async () => !(await _kit.AsgAsync("DescribeLoadBalancerTargetGroups", ("AutoScalingGroupName", "web-asg"))).EnsureOk().Values("LoadBalancerTargetGroupARN").Any(),
            "the detached target group to be removed");
    }

    [Fact]
    public async Task SetDesiredCapacity_terminates_from_the_fuller_zone_when_lowered()
    {
        var template = await _kit.CreateLaunchTemplateAsync();
        var subnets = await _kit.SubnetsAsync("ap-northeast-2a", "ap-northeast-2c");
        await _kit.CreateGroupAsync("web-asg", template, subnets, 0, 4, 3);
        var before = await _kit.WaitForInServiceAsync("web-asg", 3);

        (await _kit.AsgAsync("SetDesiredCapacity", ("AutoScalingGroupName", "web-asg"), ("DesiredCapacity", "2"))).EnsureOk();
        var after = await _kit.WaitForInServiceAsync("web-asg", 2);

        // The default termination policy balances zones first: one instance per zone remains.
        Assert.Equal(["ap-northeast-2a", "ap-northeast-2c"], after.Select(i => i.AvailabilityZone).Order());
        var gone = before.Select(i => i.InstanceId).Except(after.Select(i => i.InstanceId)).Single();
        var newest = (await _kit.ActivitiesAsync("web-asg"))[0];
        Assert.Equal($"Terminating EC2 instance: {gone}", newest.Description);
        Assert.Contains("shrinking the capacity from 3 to 2.", newest.Cause, StringComparison.Ordinal);
        await TestSandbox.WaitForStateAsync(_kit.Client, gone, "terminated");
    }

    [Fact]
    public async Task DeleteAutoScalingGroup_fails_with_ResourceInUse_without_ForceDelete_and_terminates_instances_with_it()
    {
        var template = await _kit.CreateLaunchTemplateAsync();
        var subnets = await _kit.SubnetsAsync("ap-northeast-2a", "ap-northeast-2c");
        await _kit.CreateGroupAsync("web-asg", template, subnets, 1, 2, 2);
        var instances = await _kit.WaitForInServiceAsync("web-asg", 2);

        var refused = await _kit.AsgAsync("DeleteAutoScalingGroup", ("AutoScalingGroupName", "web-asg"));
        (await _kit.AsgAsync("DeleteAutoScalingGroup", ("AutoScalingGroupName", "web-asg"), ("ForceDelete", "true"))).EnsureOk();

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal("ResourceInUse", refused.ErrorCode);
        Assert.Equal("You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.", refused.Value("Message"));
        foreach (var instance in instances)
        {
            await TestSandbox.WaitForStateAsync(_kit.Client, instance.InstanceId, "terminated");
        }

        await TestSandbox.EventuallyAsync(async () => await _kit.InstancesAsync("web-asg") is null, "the group to disappear");
        var deleted = (await _kit.AsgAsync("DescribeScalingActivities", ("IncludeDeletedGroups", "true"))).EnsureOk();
        Assert.Contains("Deleted", deleted.Values("AutoScalingGroupState"));
    }

    [Fact]
    public async Task TerminateInstanceInAutoScalingGroup_lowers_desired_capacity_without_replacement_when_decrementing()
    {
        var template = await _kit.CreateLaunchTemplateAsync();
        var subnets = await _kit.SubnetsAsync("ap-northeast-2a");
        await _kit.CreateGroupAsync("web-asg", template, subnets, 0, 2, 2);
        var instances = await _kit.WaitForInServiceAsync("web-asg", 2);

        var call = (await _kit.AsgAsync("TerminateInstanceInAutoScalingGroup", ("InstanceId", instances[0].InstanceId), ("ShouldDecrementDesiredCapacity", "true"))).EnsureOk();
        var left = await _kit.WaitForInServiceAsync("web-asg", 1);

        Assert.Equal($"Terminating EC2 instance: {instances[0].InstanceId}", call.Value("Description"));
        Assert.Contains("in response to a user request, shrinking the capacity from 2 to 1.", call.Value("Cause"), StringComparison.Ordinal);
        Assert.Equal(instances[1].InstanceId, left.Single().InstanceId);
        Assert.Equal("1", (await _kit.AsgAsync("DescribeAutoScalingGroups")).EnsureOk().Value("DesiredCapacity"));
    }

    [Fact]
    public async Task DescribeAutoScalingInstances_and_tags_report_group_members_and_tags()
    {
        var template = await _kit.CreateLaunchTemplateAsync();
        var subnets = await _kit.SubnetsAsync("ap-northeast-2b");
        await _kit.CreateGroupAsync("web-asg", template, subnets, 1, 1, 1, ("Tags.member.1.Key", "team"), ("Tags.member.1.Value", "a"));
        var instance = (await _kit.WaitForInServiceAsync("web-asg", 1)).Single();

        (await _kit.AsgAsync("CreateOrUpdateTags", ("Tags.member.1.ResourceId", "web-asg"), ("Tags.member.1.ResourceType", "auto-scaling-group"), ("Tags.member.1.Key", "env"), ("Tags.member.1.Value", "lab"), ("Tags.member.1.PropagateAtLaunch", "true"))).EnsureOk();
        var described = (await _kit.AsgAsync("DescribeAutoScalingInstances", ("InstanceIds.member.1", instance.InstanceId))).EnsureOk();
        var tags = (await _kit.AsgAsync("DescribeTags", ("Filters.member.1.Name", "auto-scaling-group"), ("Filters.member.1.Values.member.1", "web-asg"))).EnsureOk();

        Assert.Equal("web-asg", described.Value("AutoScalingGroupName"));
        Assert.Equal("HEALTHY", described.Value("HealthStatus"));
        Assert.Equal("InService", described.Value("LifecycleState"));
        Assert.Equal(["env", "team"], tags.Values("Key"));
    }

    [Theory]
    [InlineData("3", "2", "2", "Max bound, 2, must be greater than or equal to min bound, 3")]
    [InlineData("1", "2", "5", "Desired capacity:5 must be between the specified min size:1 and max size:2")]
    public async Task CreateAutoScalingGroup_fails_with_ValidationError_when_sizes_conflict(string min, string max, string desired, string message)
    {
        var template = await _kit.CreateLaunchTemplateAsync();
        var subnets = await _kit.SubnetsAsync("ap-northeast-2a");

        var call = await _kit.AsgAsync("CreateAutoScalingGroup", ("AutoScalingGroupName", "bad"), ("LaunchTemplate.LaunchTemplateId", template), ("MinSize", min), ("MaxSize", max), ("DesiredCapacity", desired), ("VPCZoneIdentifier", subnets[0]));

        Assert.Equal(HttpStatusCode.BadRequest, call.Status);
        Assert.Equal("ValidationError", call.ErrorCode);
        Assert.Equal(message, call.Value("Message"));
        Assert.Equal("Sender", call.Value("Type"));
    }

    [Fact]
    public async Task AutoScaling_answers_AWS_error_codes_when_requests_are_wrong()
    {
        var template = await _kit.CreateLaunchTemplateAsync();
        var subnets = await _kit.SubnetsAsync("ap-northeast-2a");
        await _kit.CreateGroupAsync("web-asg", template, subnets, 0, 2, 0);

        var duplicate = await _kit.AsgAsync("CreateAutoScalingGroup", ("AutoScalingGroupName", "web-asg"), ("LaunchTemplate.LaunchTemplateId", template), ("MinSize", "0"), ("MaxSize", "1"), ("VPCZoneIdentifier", subnets[0]));
        var noTemplate = await _kit.AsgAsync("CreateAutoScalingGroup", ("AutoScalingGroupName", "other"), ("MinSize", "0"), ("MaxSize", "1"), ("VPCZoneIdentifier", subnets[0]));
        var unknownTemplate = await _kit.AsgAsync("CreateAutoScalingGroup", ("AutoScalingGroupName", "other"), ("LaunchTemplate.LaunchTemplateName", "nope"), ("MinSize", "0"), ("MaxSize", "1"), ("VPCZoneIdentifier", subnets[0]));
        var noPlacement = await _kit.AsgAsync("CreateAutoScalingGroup", ("AutoScalingGroupName", "other"), ("LaunchTemplate.LaunchTemplateId", template), ("MinSize", "0"), ("MaxSize", "1"));
        var unknownGroup = await _kit.AsgAsync("SetDesiredCapacity", ("AutoScalingGroupName", "nope"), ("DesiredCapacity", "1"));
        var aboveMax = await _kit.AsgAsync("SetDesiredCapacity", ("AutoScalingGroupName", "web-asg"), ("DesiredCapacity", "3"));
        var unknownTargetGroup = await _kit.AsgAsync("AttachLoadBalancerTargetGroups", ("AutoScalingGroupName", "web-asg"), ("TargetGroupARNs.member.1", "arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:targetgroup/none/0123456789abcdef"));
        var unknownAction = await _kit.AsgAsync("LaunchRockets");

        Assert.Equal("AlreadyExists", duplicate.ErrorCode);
        Assert.Equal("AutoScalingGroup by this name already exists - A group with the name web-asg already exists", duplicate.Value("Message"));
        Assert.Equal("ValidationError", noTemplate.ErrorCode);
        Assert.Contains("LaunchTemplate", noTemplate.Value("Message"), StringComparison.Ordinal);
        Assert.Equal("ValidationError", unknownTemplate.ErrorCode);
        Assert.Contains("with template name nope, does not exist", unknownTemplate.Value("Message"), StringComparison.Ordinal);
        Assert.Equal("At least one Availability Zone or VPC Subnet is required.", noPlacement.Value("Message"));
        Assert.Equal("ValidationError", unknownGroup.ErrorCode);
        Assert.Equal("AutoScalingGroup name not found - AutoScalingGroup nope not found", unknownGroup.Value("Message"));
        Assert.Equal("New SetDesiredCapacity value 3 is above max value 2 for the AutoScalingGroup.", aboveMax.Value("Message"));
        Assert.Equal("ValidationError", unknownTargetGroup.ErrorCode);
        Assert.Contains("targetgroup/none/0123456789abcdef", unknownTargetGroup.Value("Message"), StringComparison.Ordinal);
        Assert.Equal("InvalidAction", unknownAction.ErrorCode);
        Assert.All(new[] { duplicate, noTemplate, unknownTemplate, noPlacement, unknownGroup, aboveMax, unknownTargetGroup, unknownAction }, c => Assert.Equal(HttpStatusCode.BadRequest, c.Status));
    }

    [Fact]
    public async Task AccountDeletion_removes_groups_when_account_is_deleted()
    {
        var template = await _kit.CreateLaunchTemplateAsync();
        var subnets = await _kit.SubnetsAsync("ap-northeast-2a");
        await _kit.CreateGroupAsync("web-asg", template, subnets, 1, 1, 1);
        await _kit.WaitForInServiceAsync("web-asg", 1);
        Assert.Contains(await _kit.Server.Accounts.ListResourcesAsync(_kit.Account.AccountId), r => r.ResourceType == "auto-scaling-group");

        Assert.True(await _kit.Server.Accounts.DeleteAccountAsync(_kit.Account.AccountId));

        Assert.Empty(await _kit.Server.Accounts.ListResourcesAsync(_kit.Account.AccountId));
    }
}
