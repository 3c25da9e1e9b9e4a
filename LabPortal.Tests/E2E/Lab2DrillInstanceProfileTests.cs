using Amazon.Runtime;
using LabPortal.Aws.AutoScaling;
using LabPortal.Infrastructure.Data;
using LabPortal.Tests.Support;
using Ec2Api = Amazon.EC2.Model;
using SsmApi = Amazon.SimpleSystemsManagement.Model;

namespace LabPortal.Tests.E2E;

/// <summary>
/// Issue 17, "the drill on real AWS", on the sandbox: with <c>Cloud:InstanceProfileName</c> (the sandbox's
/// default) the launch template gives every instance the profile and the drill runs; without it the drill's
/// pre-check says what is missing before anything is sent, and SendCommand itself is refused as on AWS.
/// </summary>
[Trait("Category", "E2E")]
public sealed class Lab2DrillInstanceProfileTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Drill_runs_and_the_group_instances_show_the_profile_when_the_portal_has_one()
    {
        await using var factory = new PortalFactory(_data.Path, PortalFactory.OnSandbox());
        var flow = await Lab2Flow.StartAsync(factory, "Profile Kim");
        await flow.BuildUpToElbHealthChecksAsync();
        var aws = await flow.LearnerClientsAsync();
        var ids = await GroupInstancesAsync(flow, aws);

        var instances = await DescribeAsync(aws, ids);
        var drill = await flow.RunActionAsync("drill", new Dictionary<string, string> { ["instanceId"] = ids[0] });

        Assert.All(instances, i => Assert.EndsWith(":instance-profile/" + Infrastructure.Cloud.CloudOptions.SandboxInstanceProfileName, i.IamInstanceProfile?.Arn, StringComparison.Ordinal));
        Lab1Flow.AssertSucceeded(drill);
    }

    [Fact]
    public async Task Drill_fails_its_pre_check_in_both_languages_and_SendCommand_is_refused_when_the_portal_has_no_profile()
    {
        await using var factory = new PortalFactory(_data.Path, PortalFactory.OnSandbox(new Dictionary<string, string?> { ["Cloud:InstanceProfileName"] = "" }));
        var flow = await Lab2Flow.StartAsync(factory, "Profile Lee");
        await flow.BuildUpToElbHealthChecksAsync();
        var aws = await flow.LearnerClientsAsync();
        var ids = await GroupInstancesAsync(flow, aws);

        var instances = await DescribeAsync(aws, ids);
        var drill = await flow.RunActionAsync("drill", new Dictionary<string, string> { ["instanceId"] = ids[0] });
        var bypass = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => aws.Ssm.SendCommandAsync(new SsmApi.SendCommandRequest
        {
            InstanceIds = [ids[0]],
            DocumentName = "AWS-RunShellScript",
            Parameters = new Dictionary<string, List<string>> { ["commands"] = ["systemctl stop nginx"] },
        }));

        Assert.All(instances, i => Assert.Null(i.IamInstanceProfile));
        Assert.Equal(StepRunStatus.Failed, drill.Status);
        Assert.Equal("NoInstanceProfile", drill.ErrorCode);
        Assert.Contains("Cloud:InstanceProfileName", drill.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("has no instance profile", drill.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("인스턴스 프로파일이 없고", drill.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal("InvalidInstanceId", bypass.ErrorCode);

        // The pre-check sent nothing: no command was ever recorded for the instance.
        var commands = await aws.Ssm.ListCommandsAsync(new SsmApi.ListCommandsRequest { InstanceId = ids[0] });
        Assert.Empty(commands.Commands!);
    }

    private static async Task<List<string>> GroupInstancesAsync(Lab2Flow flow, Infrastructure.Cloud.AwsClients aws)
    {
        var outputs = await flow.Pages.OutputsAsync();
        var group = Assert.Single((await aws.AutoScaling.DescribeAutoScalingGroupsAsync(new DescribeAutoScalingGroupsRequest { AutoScalingGroupNames = [outputs["autoScalingGroupName"]] })).AutoScalingGroups!);
        return [.. group.Instances!.Where(i => i.LifecycleState == "InService").Select(i => i.InstanceId!).Order(StringComparer.Ordinal)];
    }

    private static async Task<List<Ec2Api.Instance>> DescribeAsync(Infrastructure.Cloud.AwsClients aws, List<string> ids) =>
        [.. (await aws.Ec2.DescribeInstancesAsync(new Ec2Api.DescribeInstancesRequest { InstanceIds = ids })).Reservations!.SelectMany(r => r.Instances!)];
}
