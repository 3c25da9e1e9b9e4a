using LabPortal.Sandbox.Accounts;

namespace LabPortal.Tests.Sandbox.AutoScaling;

public sealed class AutoScalingPersistenceTests
{
    [Fact]
    public async Task Restart_keeps_groups_and_activities_and_the_controller_resumes_scaling()
    {
        var directory = TestSandbox.NewDirectory();
        SandboxAccount account;
        string original;
        await using (var first = await TestSandbox.StartAsync(new FakeMachineFactory(), TestSandbox.Options(directory)))
        {
            account = await first.CreateAccountAsync("persisted-asg");
            var client = new SandboxApiClient(first.Endpoints.Api, account);
            var ami = await TestSandbox.LatestAmiAsync(client);
            var template = (await client.Ec2Async("CreateLaunchTemplate", ("LaunchTemplateName", "web"), ("LaunchTemplateData.ImageId", ami))).EnsureOk().Value("launchTemplateId");
            (await AsgAsync(client, "CreateAutoScalingGroup", ("AutoScalingGroupName", "web-asg"), ("LaunchTemplate.LaunchTemplateId", template), ("MinSize", "1"), ("MaxSize", "3"), ("AvailabilityZones.member.1", "ap-northeast-2a"))).EnsureOk();
            await TestSandbox.EventuallyAsync(async () => (await AsgAsync(client, "DescribeAutoScalingGroups")).EnsureOk().Values("LifecycleState").SingleOrDefault() == "InService", "the first instance");
            original = (await AsgAsync(client, "DescribeAutoScalingGroups")).EnsureOk().Value("InstanceId");
        }

        await using var second = await TestSandbox.StartAsync(new FakeMachineFactory(), TestSandbox.Options(directory));
        var again = new SandboxApiClient(second.Endpoints.Api, account);

        Assert.Equal(original, (await AsgAsync(again, "DescribeAutoScalingGroups")).EnsureOk().Value("InstanceId"));
        Assert.Single((await AsgAsync(again, "DescribeScalingActivities")).EnsureOk().Values("ActivityId"));
        (await AsgAsync(again, "SetDesiredCapacity", ("AutoScalingGroupName", "web-asg"), ("DesiredCapacity", "2"))).EnsureOk();
        await TestSandbox.EventuallyAsync(
            async () => (await AsgAsync(again, "DescribeAutoScalingGroups")).EnsureOk().Values("LifecycleState").Count(s => s == "InService") == 2,
            "a second instance after the restart");
    }

    private static Task<ApiCall> AsgAsync(SandboxApiClient client, string action, params (string Name, string Value)[] parameters) =>
        client.CallAsync("autoscaling", action, "2011-01-01", parameters);
}
