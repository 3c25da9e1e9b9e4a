using Amazon.Runtime;
using LabPortal.Tests.Aws.Contract;
using LabPortal.Tests.Aws.Contract.Sandbox;
using Ec2Api = Amazon.EC2.Model;
using SsmApi = Amazon.SimpleSystemsManagement.Model;

namespace LabPortal.Tests.Sandbox.Ssm;

/// <summary>
/// Issue 17: the sandbox models instance profiles as AWS does. An instance launched without one is not a
/// Systems Manager managed instance (SendCommand answers InvalidInstanceId); DescribeInstances shows the
/// profile; any well-formed name is accepted (the sandbox has no IAM).
/// </summary>
public sealed class SandboxInstanceProfileTests(SandboxServerFixture sandbox) : IClassFixture<SandboxServerFixture>
{
    private readonly ContractContext _context = new(sandbox);

    [Fact]
    public async Task DescribeInstances_shows_the_profile_arn_and_id_when_RunInstances_names_a_profile()
    {
        var net = await LabNetwork.DiscoverAsync(_context);
        var name = ContractContext.Unique("ssm-profile");

        var with = await RunAsync(net, new Ec2Api.IamInstanceProfileSpecification { Name = name });
        var again = await RunAsync(net, new Ec2Api.IamInstanceProfileSpecification { Name = name });
        var without = await RunAsync(net, null);

        var account = (await _context.Clients.Ec2.DescribeSecurityGroupsAsync(new Ec2Api.DescribeSecurityGroupsRequest())).SecurityGroups![0].OwnerId;
        var profile = (await DescribeAsync(with)).IamInstanceProfile;
        Assert.NotNull(profile);
        Assert.Equal($"arn:aws:iam::{account}:instance-profile/{name}", profile.Arn);
        Assert.Matches("^AIPA[A-Z2-7]{17}$", profile.Id);
        Assert.Equal(profile.Id, (await DescribeAsync(again)).IamInstanceProfile!.Id);
        Assert.Null((await DescribeAsync(without)).IamInstanceProfile);
        await _context.Clients.Ec2.TerminateInstancesAsync(new Ec2Api.TerminateInstancesRequest { InstanceIds = [with, again, without] });
    }

    [Fact]
    public async Task SendCommand_answers_InvalidInstanceId_when_the_running_instance_has_no_profile_and_runs_when_it_has_one()
    {
        var net = await LabNetwork.DiscoverAsync(_context);
        var managed = await RunAsync(net, new Ec2Api.IamInstanceProfileSpecification { Name = "LabPortalSsmInstanceProfile" });
        var unmanaged = await RunAsync(net, null);
        await WaitRunningAsync(managed);
        await WaitRunningAsync(unmanaged);

        var refused = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => SendAsync(unmanaged));
        var sent = await SendAsync(managed);

        Assert.Equal("InvalidInstanceId", refused.ErrorCode);
        Assert.Contains(unmanaged, refused.Message, StringComparison.Ordinal);
        Assert.Equal([managed], sent.Command!.InstanceIds);
        await _context.Clients.Ec2.TerminateInstancesAsync(new Ec2Api.TerminateInstancesRequest { InstanceIds = [managed, unmanaged] });
    }

    [Fact]
    public async Task A_launch_template_profile_is_described_and_reaches_the_instances_launched_from_it()
    {
        var net = await LabNetwork.DiscoverAsync(_context);
        var templateName = ContractContext.Unique("lt-profile");
        await _context.Clients.Ec2.CreateLaunchTemplateAsync(new Ec2Api.CreateLaunchTemplateRequest
        {
            LaunchTemplateName = templateName,
            LaunchTemplateData = new Ec2Api.RequestLaunchTemplateData
            {
                ImageId = net.ImageId,
                InstanceType = "t3.micro",
                IamInstanceProfile = new Ec2Api.LaunchTemplateIamInstanceProfileSpecificationRequest { Name = "from-template" },
            },
        });

        var version = Assert.Single((await _context.Clients.Ec2.DescribeLaunchTemplateVersionsAsync(new Ec2Api.DescribeLaunchTemplateVersionsRequest { LaunchTemplateName = templateName, Versions = ["$Latest"] })).LaunchTemplateVersions!);
        var launched = (await _context.Clients.Ec2.RunInstancesAsync(new Ec2Api.RunInstancesRequest
        {
            LaunchTemplate = new Ec2Api.LaunchTemplateSpecification { LaunchTemplateName = templateName },
            MinCount = 1,
            MaxCount = 1,
            SubnetId = net.SubnetA,
        })).Reservation.Instances![0].InstanceId!;

        Assert.Equal("from-template", version.LaunchTemplateData!.IamInstanceProfile!.Name);
        Assert.EndsWith(":instance-profile/from-template", (await DescribeAsync(launched)).IamInstanceProfile!.Arn, StringComparison.Ordinal);
        await _context.Clients.Ec2.TerminateInstancesAsync(new Ec2Api.TerminateInstancesRequest { InstanceIds = [launched] });
        await _context.Clients.Ec2.DeleteLaunchTemplateAsync(new Ec2Api.DeleteLaunchTemplateRequest { LaunchTemplateName = templateName });
    }

    [Fact]
    public async Task RunInstances_refuses_a_malformed_profile_name_with_InvalidParameterValue()
    {
        var net = await LabNetwork.DiscoverAsync(_context);

        var refused = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => RunAsync(net, new Ec2Api.IamInstanceProfileSpecification { Name = "no spaces allowed" }));

        Assert.Equal("InvalidParameterValue", refused.ErrorCode);
        Assert.Contains("iamInstanceProfile.name", refused.Message, StringComparison.Ordinal);
    }

    private async Task<string> RunAsync(LabNetwork net, Ec2Api.IamInstanceProfileSpecification? profile) =>
        (await _context.Clients.Ec2.RunInstancesAsync(new Ec2Api.RunInstancesRequest
        {
            ImageId = net.ImageId,
            InstanceType = "t3.micro",
            MinCount = 1,
            MaxCount = 1,
            SubnetId = net.SubnetA,
            IamInstanceProfile = profile,
        })).Reservation.Instances![0].InstanceId!;

    private Task<SsmApi.SendCommandResponse> SendAsync(string instanceId) =>
        _context.Clients.Ssm.SendCommandAsync(new SsmApi.SendCommandRequest
        {
            InstanceIds = [instanceId],
            DocumentName = "AWS-RunShellScript",
            Parameters = new Dictionary<string, List<string>> { ["commands"] = ["echo hi"] },
        });

    private async Task<Ec2Api.Instance> DescribeAsync(string id) =>
        (await _context.Clients.Ec2.DescribeInstancesAsync(new Ec2Api.DescribeInstancesRequest { InstanceIds = [id] })).Reservations!.SelectMany(r => r.Instances!).Single();

    private Task<Ec2Api.Instance> WaitRunningAsync(string id) =>
        ContractContext.EventuallyAsync(() => DescribeAsync(id), i => i.State!.Name == "running", $"{id} to run");
}
