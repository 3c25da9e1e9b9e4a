using LabPortal.Tests.Sandbox.Ssm;

namespace LabPortal.Tests.Sandbox.AutoScaling;

public sealed class AutoScalingHealthTests : IAsyncLifetime
{
    private AutoScalingTestKit _kit = null!;

    public async Task InitializeAsync() => _kit = await AutoScalingTestKit.StartAsync();

    public async Task DisposeAsync() => await _kit.DisposeAsync();

    [Fact]
    public async Task Ec2HealthCheck_replaces_instance_when_it_is_stopped()
    {
        var template = await _kit.CreateLaunchTemplateAsync();
        var subnets = await _kit.SubnetsAsync("ap-northeast-2a", "ap-northeast-2c");
        await _kit.CreateGroupAsync("web-asg", template, subnets, 1, 2, 1, ("HealthCheckType", "EC2"));
        var original = (await _kit.WaitForInServiceAsync("web-asg", 1)).Single();

        (await _kit.Client.Ec2Async("StopInstances", ("InstanceId.1", original.InstanceId))).EnsureOk();
        await TestSandbox.EventuallyAsync(
            async () => (await _kit.InstancesAsync("web-asg"))!.Any(i => i.InstanceId != original.InstanceId && i.LifecycleState == "InService"),
            "a replacement to be InService");

        var activities = await _kit.ActivitiesAsync("web-asg");
        var termination = activities.Single(a => a.Description == $"Terminating EC2 instance: {original.InstanceId}");
        Assert.Contains("an instance was taken out of service in response to an EC2 health check indicating it has been terminated or stopped.", termination.Cause, StringComparison.Ordinal);
        Assert.StartsWith("Launching a new EC2 instance: i-", activities[0].Description, StringComparison.Ordinal);
        Assert.Contains("increasing the capacity from 0 to 1.", activities[0].Cause, StringComparison.Ordinal);
        await TestSandbox.WaitForStateAsync(_kit.Client, original.InstanceId, "terminated");
    }

    [Fact]
    public async Task Ec2HealthCheck_keeps_instance_when_only_its_web_server_is_stopped()
    {
        var targetGroup = _kit.Targets!.AddTargetGroup("web-tg");
        var template = await _kit.CreateLaunchTemplateAsync();
        var subnets = await _kit.SubnetsAsync("ap-northeast-2a", "ap-northeast-2c");
        await _kit.CreateGroupAsync("web-asg", template, subnets, 1, 2, 1, ("HealthCheckType", "EC2"), ("TargetGroupARNs.member.1", targetGroup));
        var original = (await _kit.WaitForInServiceAsync("web-asg", 1)).Single();

        var commandId = await SendStopNginxAsync(original.InstanceId);
        await _kit.Client.WaitForInvocationAsync(commandId, original.InstanceId, "Success");

        // The load balancer sees it fail, but EC2 health checks ignore ELB results (aws-behaviour.md section 3).
        _kit.Targets.SetHealth(original.InstanceId, "unhealthy");

        // Growing the group proves the controller ran many passes since; the original must still be in service.
        (await _kit.AsgAsync("SetDesiredCapacity", ("AutoScalingGroupName", "web-asg"), ("DesiredCapacity", "2"))).EnsureOk();
        var instances = await _kit.WaitForInServiceAsync("web-asg", 2);

        Assert.Null(_kit.Machines.For(original.InstanceId)!.GetHttpEndpoint(80));
        Assert.Contains(instances, i => i.InstanceId == original.InstanceId && i.HealthStatus == "Healthy");
        Assert.DoesNotContain(await _kit.ActivitiesAsync("web-asg"), a => a.Description.StartsWith("Terminating", StringComparison.Ordinal));
        Assert.Equal("running", await TestSandbox.InstanceStateAsync(_kit.Client, original.InstanceId));
    }

    [Fact]
    public async Task ElbHealthCheck_replaces_unhealthy_target_only_after_grace_period()
    {
        const int graceSeconds = 600;
        var targetGroup = _kit.Targets!.AddTargetGroup("web-tg");
        var template = await _kit.CreateLaunchTemplateAsync();
        var subnets = await _kit.SubnetsAsync("ap-northeast-2a", "ap-northeast-2c");
        await _kit.CreateGroupAsync(
            "web-asg", template, subnets, 1, 2, 1,
            ("HealthCheckType", "ELB"), ("HealthCheckGracePeriod", graceSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("TargetGroupARNs.member.1", targetGroup));
        var original = (await _kit.WaitForInServiceAsync("web-asg", 1)).Single();
        await TestSandbox.EventuallyAsync(
            async () => (await _kit.AsgAsync("DescribeLoadBalancerTargetGroups", ("AutoScalingGroupName", "web-asg"))).EnsureOk().Value("State") == "InService",
            "the target group attachment to be InService");

        _kit.Targets.SetHealth(original.InstanceId, "unhealthy");
        await TestSandbox.EventuallyAsync(
            async () => (await _kit.InstancesAsync("web-asg"))!.Any(i => i.InstanceId != original.InstanceId && i.LifecycleState == "InService"),
            "a replacement to be InService");

        var activities = await _kit.ActivitiesAsync("web-asg");
        var launch = activities.Single(a => a.Description == $"Launching a new EC2 instance: {original.InstanceId}");
        var termination = activities.Single(a => a.Description == $"Terminating EC2 instance: {original.InstanceId}");
        Assert.Contains("an instance was taken out of service in response to an ELB system health check failure.", termination.Cause, StringComparison.Ordinal);

        // Nothing happened before the grace period (scaled by the time scale of 1000) had passed since InService.
        var inService = DateTimeOffset.Parse(launch.EndTime!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(termination.StartTime - inService >= TimeSpan.FromSeconds(graceSeconds / 1000.0), $"terminated {termination.StartTime - inService} after InService");
        var replacement = (await _kit.InstancesAsync("web-asg"))!.Single(i => i.LifecycleState == "InService");
        Assert.Equal([replacement.InstanceId], _kit.Targets.Registered(targetGroup));
    }

    [Fact]
    public async Task SetInstanceHealth_replaces_instance_when_marked_unhealthy_without_grace_period()
    {
        var template = await _kit.CreateLaunchTemplateAsync();
        var subnets = await _kit.SubnetsAsync("ap-northeast-2a");
        await _kit.CreateGroupAsync("web-asg", template, subnets, 1, 1, 1);
        var original = (await _kit.WaitForInServiceAsync("web-asg", 1)).Single();

        (await _kit.AsgAsync("SetInstanceHealth", ("InstanceId", original.InstanceId), ("HealthStatus", "Unhealthy"), ("ShouldRespectGracePeriod", "false"))).EnsureOk();
        await TestSandbox.EventuallyAsync(
            async () => (await _kit.InstancesAsync("web-asg"))!.Any(i => i.InstanceId != original.InstanceId && i.LifecycleState == "InService"),
            "a replacement to be InService");

        var termination = (await _kit.ActivitiesAsync("web-asg")).Single(a => a.Description == $"Terminating EC2 instance: {original.InstanceId}");
        Assert.Contains("in response to a user health-check.", termination.Cause, StringComparison.Ordinal);
    }

    private async Task<string> SendStopNginxAsync(string instanceId)
    {
        var call = await _kit.Client.SsmAsync("SendCommand", new { DocumentName = "AWS-RunShellScript", InstanceIds = new[] { instanceId }, Parameters = new { commands = new[] { "systemctl stop nginx" } } });
        return call.EnsureOk().Json().GetProperty("Command").GetProperty("CommandId").GetString()!;
    }
}
