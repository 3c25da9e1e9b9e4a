using Amazon.Runtime;
using LabPortal.Tests.Aws.Contract;
using LabPortal.Tests.Aws.Contract.Sandbox;
using AsgApi = LabPortal.Aws.AutoScaling;
using Ec2Api = Amazon.EC2.Model;
using ElbApi = LabPortal.Aws.Elbv2;
using SsmApi = Amazon.SimpleSystemsManagement.Model;

namespace LabPortal.Tests.Sandbox.Verified;

/// <summary>
/// Issue 19: behaviours whose answers were recorded from real AWS, checked against the sandbox
/// through the typed clients the portal uses (LabPortal.Aws). The same behaviours run through boto3
/// against the sandbox and moto in <see cref="VerifiedBehaviourBoto3Tests"/>.
/// </summary>
public sealed class VerifiedBehaviourClientTests(SandboxServerFixture sandbox) : IClassFixture<SandboxServerFixture>
{
    private readonly ContractContext _context = new(sandbox);

    private Amazon.EC2.IAmazonEC2 Ec2 => _context.Clients.Ec2;

    [Fact]
    public async Task DescribeTargetHealth_reports_unused_NotRegistered_with_the_port_when_the_target_id_is_unknown()
    {
        var net = await LabNetwork.DiscoverAsync(_context);
        var tg = await CreateTargetGroupAsync(net, "unknown");

        var health = await _context.Clients.Elbv2.DescribeTargetHealthAsync(new ElbApi.DescribeTargetHealthRequest
        {
            TargetGroupArn = tg,
            Targets = [new ElbApi.TargetDescription { Id = "i-0123456789abcdef0" }],
        });

        var row = Assert.Single(health.TargetHealthDescriptions!);
        Assert.Equal(("i-0123456789abcdef0", 80, "unused", "Target.NotRegistered"), (row.Target!.Id, row.Target.Port, row.TargetHealth!.State, row.TargetHealth.Reason));
    }

    [Fact]
    public async Task DescribeTargetHealth_drops_a_terminated_target_from_the_list_but_reports_it_draining_by_id()
    {
        var net = await LabNetwork.DiscoverAsync(_context);
        var tg = await CreateTargetGroupAsync(net, "term");

        // A long delay (an hour, 18 s at the fixture's time scale) keeps the target draining while we look.
        await _context.Clients.Elbv2.ModifyTargetGroupAttributesAsync(new ElbApi.ModifyTargetGroupAttributesRequest
        {
            TargetGroupArn = tg,
            Attributes = [new ElbApi.TargetGroupAttribute { Key = "deregistration_delay.timeout_seconds", Value = "3600" }],
        });
        var instance = await RunAsync(new Ec2Api.RunInstancesRequest { ImageId = net.ImageId, InstanceType = "t3.micro", MinCount = 1, MaxCount = 1, SubnetId = net.SubnetA });
        await WaitRunningAsync(instance);
        await _context.Clients.Elbv2.RegisterTargetsAsync(new ElbApi.RegisterTargetsRequest { TargetGroupArn = tg, Targets = [new ElbApi.TargetDescription { Id = instance }] });
        var before = await _context.Clients.Elbv2.DescribeTargetHealthAsync(new ElbApi.DescribeTargetHealthRequest { TargetGroupArn = tg });

        await Ec2.TerminateInstancesAsync(new Ec2Api.TerminateInstancesRequest { InstanceIds = [instance] });
        var all = await _context.Clients.Elbv2.DescribeTargetHealthAsync(new ElbApi.DescribeTargetHealthRequest { TargetGroupArn = tg });
        var byId = await _context.Clients.Elbv2.DescribeTargetHealthAsync(new ElbApi.DescribeTargetHealthRequest { TargetGroupArn = tg, Targets = [new ElbApi.TargetDescription { Id = instance }] });

        Assert.Single(before.TargetHealthDescriptions!);
        Assert.Empty(all.TargetHealthDescriptions ?? []);
        var row = Assert.Single(byId.TargetHealthDescriptions!);
        Assert.Equal(("draining", "Target.DeregistrationInProgress"), (row.TargetHealth!.State!.Value, row.TargetHealth.Reason!.Value));
    }

    [Fact]
    public async Task Instances_launched_from_a_template_carry_its_id_and_version_tags_and_a_group_adds_its_name()
    {
        var net = await LabNetwork.DiscoverAsync(_context);
        var name = ContractContext.Unique("tags-lt");
        var template = (await Ec2.CreateLaunchTemplateAsync(new Ec2Api.CreateLaunchTemplateRequest
        {
            LaunchTemplateName = name,
            LaunchTemplateData = new Ec2Api.RequestLaunchTemplateData { ImageId = net.ImageId, InstanceType = "t3.micro" },
        })).LaunchTemplate!;

        var direct = await RunAsync(new Ec2Api.RunInstancesRequest { LaunchTemplate = new Ec2Api.LaunchTemplateSpecification { LaunchTemplateName = name }, MinCount = 1, MaxCount = 1 });
        var groupName = ContractContext.Unique("tags-asg");
        await _context.Clients.AutoScaling.CreateAutoScalingGroupAsync(new AsgApi.CreateAutoScalingGroupRequest
        {
            AutoScalingGroupName = groupName,
            LaunchTemplate = new AsgApi.LaunchTemplateSpecification { LaunchTemplateName = name },
            MinSize = 1,
            MaxSize = 1,
            VPCZoneIdentifier = net.SubnetA,
        });
        var group = await ContractContext.EventuallyAsync(
            () => DescribeGroupAsync(groupName),
            g => g.Instances is { Count: 1 },
            "the group to launch its instance");
        var fromGroup = await TagsOfAsync(group.Instances![0].InstanceId!);
        var fromRun = await TagsOfAsync(direct);

        Assert.Equal(template.LaunchTemplateId, fromRun.GetValueOrDefault("aws:ec2launchtemplate:id"));
        Assert.Equal("1", fromRun.GetValueOrDefault("aws:ec2launchtemplate:version"));
        Assert.Equal(template.LaunchTemplateId, fromGroup.GetValueOrDefault("aws:ec2launchtemplate:id"));
        Assert.Equal("1", fromGroup.GetValueOrDefault("aws:ec2launchtemplate:version"));
        Assert.Equal(groupName, fromGroup.GetValueOrDefault("aws:autoscaling:groupName"));

        // Created without a version, the group echoes none (AWS leaves Version out).
        Assert.Null(group.LaunchTemplate!.Version);
        Assert.Equal(name, group.LaunchTemplate.LaunchTemplateName);
        await _context.Clients.AutoScaling.DeleteAutoScalingGroupAsync(new AsgApi.DeleteAutoScalingGroupRequest { AutoScalingGroupName = groupName, ForceDelete = true });
        await Ec2.TerminateInstancesAsync(new Ec2Api.TerminateInstancesRequest { InstanceIds = [direct] });
    }

    [Fact]
    public async Task CreateLaunchTemplate_accepts_an_unknown_image_with_a_warning_and_the_launch_fails()
    {
        var name = ContractContext.Unique("ghost-ami");
        var created = await Ec2.CreateLaunchTemplateAsync(new Ec2Api.CreateLaunchTemplateRequest
        {
            LaunchTemplateName = name,
            LaunchTemplateData = new Ec2Api.RequestLaunchTemplateData { ImageId = "ami-0123456789abcdef0", InstanceType = "t3.micro" },
        });

        var launch = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => Ec2.RunInstancesAsync(new Ec2Api.RunInstancesRequest
        {
            LaunchTemplate = new Ec2Api.LaunchTemplateSpecification { LaunchTemplateName = name },
            MinCount = 1,
            MaxCount = 1,
        }));

        Assert.Equal(1, created.LaunchTemplate!.LatestVersionNumber);
        Assert.Equal("InvalidAMIID.NotFound", Assert.Single(created.Warning!.Errors!).Code);
        Assert.Equal("InvalidAMIID.NotFound", launch.ErrorCode);
    }

    [Fact]
    public async Task DescribeLaunchTemplateVersions_without_a_template_returns_the_latest_version_of_every_template()
    {
        var net = await LabNetwork.DiscoverAsync(_context);
        var names = new[] { ContractContext.Unique("every-a"), ContractContext.Unique("every-b") };
        foreach (var name in names)
        {
            await Ec2.CreateLaunchTemplateAsync(new Ec2Api.CreateLaunchTemplateRequest
            {
                LaunchTemplateName = name,
                LaunchTemplateData = new Ec2Api.RequestLaunchTemplateData { ImageId = net.ImageId, InstanceType = "t3.micro" },
            });
        }

        var versions = await Ec2.DescribeLaunchTemplateVersionsAsync(new Ec2Api.DescribeLaunchTemplateVersionsRequest { Versions = ["$Latest"] });

        var listed = versions.LaunchTemplateVersions!.Select(v => v.LaunchTemplateName).ToList();
        Assert.All(names, n => Assert.Contains(n, listed));
        Assert.Equal(listed.Count, listed.Distinct().Count());
    }

    [Fact]
    public async Task DescribeImages_names_every_missing_image_when_two_do_not_exist()
    {
        var error = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => Ec2.DescribeImagesAsync(new Ec2Api.DescribeImagesRequest { ImageIds = ["ami-00000000000000001", "ami-00000000000000002"] }));

        Assert.Equal("InvalidAMIID.NotFound", error.ErrorCode);
        Assert.Equal("The image ids '[ami-00000000000000001, ami-00000000000000002]' do not exist", error.Message);
    }

    [Fact]
    public async Task UpdateAutoScalingGroup_of_a_missing_group_says_not_found_null()
    {
        var error = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => _context.Clients.AutoScaling.UpdateAutoScalingGroupAsync(new AsgApi.UpdateAutoScalingGroupRequest { AutoScalingGroupName = ContractContext.Unique("nobody"), MinSize = 1 }));

        Assert.Equal("ValidationError", error.ErrorCode);
        Assert.EndsWith("not found - null", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.12-x86_64", "x86_64")]
    [InlineData("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.12-arm64", "arm64")]
    public async Task Ssm_public_parameters_serve_the_kernel_6_12_family_as_an_image_DescribeImages_knows(string parameter, string architecture)
    {
        var value = (await _context.Clients.Ssm.GetParameterAsync(new SsmApi.GetParameterRequest { Name = parameter })).Parameter!.Value!;

        var image = Assert.Single((await Ec2.DescribeImagesAsync(new Ec2Api.DescribeImagesRequest { ImageIds = [value] })).Images!);
        Assert.Equal(architecture, image.Architecture);
        Assert.Contains("kernel-6.12", image.Name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunInstances_honours_PrivateIpAddress_and_refuses_one_outside_the_subnet_in_use_or_for_two_instances()
    {
        var net = await LabNetwork.DiscoverAsync(_context);
        var subnet = Assert.Single((await Ec2.DescribeSubnetsAsync(new Ec2Api.DescribeSubnetsRequest { SubnetIds = [net.SubnetC] })).Subnets!);
        var address = FreeAddressIn(subnet.CidrBlock!);

        var id = await RunAsync(new Ec2Api.RunInstancesRequest { ImageId = net.ImageId, InstanceType = "t3.micro", MinCount = 1, MaxCount = 1, SubnetId = net.SubnetC, PrivateIpAddress = address });
        var outside = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => Ec2.RunInstancesAsync(new Ec2Api.RunInstancesRequest { ImageId = net.ImageId, InstanceType = "t3.micro", MinCount = 1, MaxCount = 1, SubnetId = net.SubnetC, PrivateIpAddress = "10.99.0.50" }));

        var taken = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => Ec2.RunInstancesAsync(new Ec2Api.RunInstancesRequest { ImageId = net.ImageId, InstanceType = "t3.micro", MinCount = 1, MaxCount = 1, SubnetId = net.SubnetC, PrivateIpAddress = address }));
        var two = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => Ec2.RunInstancesAsync(new Ec2Api.RunInstancesRequest { ImageId = net.ImageId, InstanceType = "t3.micro", MinCount = 2, MaxCount = 2, SubnetId = net.SubnetC, PrivateIpAddress = FreeAddressIn(subnet.CidrBlock!) }));

        Assert.Equal(address, (await DescribeInstanceAsync(id)).PrivateIpAddress);
        Assert.Equal("InvalidParameterValue", outside.ErrorCode);
        Assert.Equal("InvalidIPAddress.InUse", taken.ErrorCode);
        Assert.Equal("InvalidParameterCombination", two.ErrorCode);
        await Ec2.TerminateInstancesAsync(new Ec2Api.TerminateInstancesRequest { InstanceIds = [id] });
    }

    [Fact]
    public async Task RunInstances_echoes_monitoring_ebs_optimization_and_hibernation_and_enforces_DisableApiStop()
    {
        var net = await LabNetwork.DiscoverAsync(_context);
        var id = await RunAsync(new Ec2Api.RunInstancesRequest
        {
            ImageId = net.ImageId,
            InstanceType = "t3.micro",
            MinCount = 1,
            MaxCount = 1,
            Monitoring = true,
            EbsOptimized = true,
            DisableApiStop = true,
            HibernationOptions = new Ec2Api.HibernationOptionsRequest { Configured = true },
        });
        await WaitRunningAsync(id);

        var stop = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => Ec2.StopInstancesAsync(new Ec2Api.StopInstancesRequest { InstanceIds = [id] }));
        var instance = await DescribeInstanceAsync(id);

        Assert.Equal(("enabled", true, true), (instance.Monitoring!.State, instance.EbsOptimized, instance.HibernationOptions!.Configured));
        Assert.Equal("OperationNotPermitted", stop.ErrorCode);
        await Ec2.TerminateInstancesAsync(new Ec2Api.TerminateInstancesRequest { InstanceIds = [id] });
    }

    [Fact]
    public async Task AuthorizeSecurityGroupIngress_refuses_the_61st_rule_of_a_group()
    {
        var net = await LabNetwork.DiscoverAsync(_context);
        var group = (await Ec2.CreateSecurityGroupAsync(new Ec2Api.CreateSecurityGroupRequest { GroupName = ContractContext.Unique("sixty"), Description = "rule quota", VpcId = net.VpcId })).GroupId!;
        Ec2Api.IpPermission Rule(int port) => new() { IpProtocol = "tcp", FromPort = port, ToPort = port, Ipv4Ranges = [new Ec2Api.IpRange { CidrIp = "10.0.0.0/8" }] };
        await Ec2.AuthorizeSecurityGroupIngressAsync(new Ec2Api.AuthorizeSecurityGroupIngressRequest { GroupId = group, IpPermissions = [.. Enumerable.Range(1000, 60).Select(Rule)] });

        var error = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => Ec2.AuthorizeSecurityGroupIngressAsync(new Ec2Api.AuthorizeSecurityGroupIngressRequest { GroupId = group, IpPermissions = [Rule(2000)] }));

        Assert.Equal("RulesPerSecurityGroupLimitExceeded", error.ErrorCode);
        await Ec2.DeleteSecurityGroupAsync(new Ec2Api.DeleteSecurityGroupRequest { GroupId = group });
    }

    [Fact]
    public async Task Auto_Scaling_returns_CapacityRebalance_protects_new_instances_pages_at_50_and_filters_tags_by_propagate_at_launch()
    {
        var net = await LabNetwork.DiscoverAsync(_context);
        var name = ContractContext.Unique("protect-lt");
        await Ec2.CreateLaunchTemplateAsync(new Ec2Api.CreateLaunchTemplateRequest
        {
            LaunchTemplateName = name,
            LaunchTemplateData = new Ec2Api.RequestLaunchTemplateData { ImageId = net.ImageId, InstanceType = "t3.micro" },
        });
        var prefix = ContractContext.Unique("page");
        for (var i = 0; i < 51; i++)
        {
            await _context.Clients.AutoScaling.CreateAutoScalingGroupAsync(new AsgApi.CreateAutoScalingGroupRequest
            {
                AutoScalingGroupName = $"{prefix}-{i:D2}",
                LaunchTemplate = new AsgApi.LaunchTemplateSpecification { LaunchTemplateName = name, Version = "$Latest" },
                MinSize = i == 0 ? 1 : 0,
                MaxSize = 1,
                VPCZoneIdentifier = net.SubnetA,
                NewInstancesProtectedFromScaleIn = i == 0,
                CapacityRebalance = i == 0,
                Tags = i == 0 ? [new AsgApi.Tag { Key = "lab", Value = prefix, PropagateAtLaunch = true }, new AsgApi.Tag { Key = "owner", Value = prefix, PropagateAtLaunch = false }] : null,
            });
        }

        var first = await _context.Clients.AutoScaling.DescribeAutoScalingGroupsAsync(new AsgApi.DescribeAutoScalingGroupsRequest());
        var protectedGroup = await ContractContext.EventuallyAsync(() => DescribeGroupAsync($"{prefix}-00"), g => g.Instances is { Count: 1 }, "the protected group's instance");
        var propagated = await _context.Clients.AutoScaling.DescribeTagsAsync(new AsgApi.DescribeTagsRequest
        {
            Filters = [new AsgApi.Filter { Name = "auto-scaling-group", Values = [$"{prefix}-00"] }, new AsgApi.Filter { Name = "propagate-at-launch", Values = ["true"] }],
        });

        Assert.Equal(50, first.AutoScalingGroups!.Count);
        Assert.NotNull(first.NextToken);
        Assert.Equal((true, true), (protectedGroup.NewInstancesProtectedFromScaleIn, protectedGroup.CapacityRebalance));
        Assert.True(protectedGroup.Instances![0].ProtectedFromScaleIn);
        Assert.Equal("lab", Assert.Single(propagated.Tags!).Key);
        for (var i = 0; i < 51; i++)
        {
            await _context.Clients.AutoScaling.DeleteAutoScalingGroupAsync(new AsgApi.DeleteAutoScalingGroupRequest { AutoScalingGroupName = $"{prefix}-{i:D2}", ForceDelete = true });
        }
    }

    [Fact]
    public async Task SendCommand_to_tag_targets_keeps_the_given_concurrency_and_answers_in_the_call_region()
    {
        var net = await LabNetwork.DiscoverAsync(_context);
        var label = ContractContext.Unique("ssm");
        var id = await RunAsync(new Ec2Api.RunInstancesRequest
        {
            ImageId = net.ImageId,
            InstanceType = "t3.micro",
            MinCount = 1,
            MaxCount = 1,
            IamInstanceProfile = new Ec2Api.IamInstanceProfileSpecification { Name = TestSandbox.InstanceProfileName },
            TagSpecifications = [new Ec2Api.TagSpecification { ResourceType = "instance", Tags = [new Ec2Api.Tag { Key = "Role", Value = label }] }],
        });
        await WaitRunningAsync(id);

        var command = (await _context.Clients.Ssm.SendCommandAsync(new SsmApi.SendCommandRequest
        {
            Targets = [new SsmApi.Target { Key = "tag:Role", Values = [label] }],
            DocumentName = "AWS-RunShellScript",
            Parameters = new Dictionary<string, List<string>> { ["commands"] = ["echo hi"] },
            MaxConcurrency = "2",
            MaxErrors = "1",
        })).Command!;
        var invocations = await _context.Clients.Ssm.ListCommandInvocationsAsync(new SsmApi.ListCommandInvocationsRequest { CommandId = command.CommandId });

        Assert.Equal(("2", "1", sandbox.Region), (command.MaxConcurrency, command.MaxErrors, command.OutputS3Region));
        Assert.Equal("tag:Role", Assert.Single(command.Targets!).Key);
        Assert.Equal(1, command.TargetCount);
        Assert.Equal(id, Assert.Single(invocations.CommandInvocations!).InstanceId);
        await Ec2.TerminateInstancesAsync(new Ec2Api.TerminateInstancesRequest { InstanceIds = [id] });
    }

    private async Task<string> CreateTargetGroupAsync(LabNetwork net, string prefix) =>
        (await _context.Clients.Elbv2.CreateTargetGroupAsync(new ElbApi.CreateTargetGroupRequest { Name = ContractContext.Unique(prefix), Protocol = "HTTP", Port = 80, VpcId = net.VpcId })).TargetGroups![0].TargetGroupArn!;

    private async Task<string> RunAsync(Ec2Api.RunInstancesRequest request) => (await Ec2.RunInstancesAsync(request)).Reservation.Instances[0].InstanceId;

    private async Task<Ec2Api.Instance> DescribeInstanceAsync(string id) =>
        (await Ec2.DescribeInstancesAsync(new Ec2Api.DescribeInstancesRequest { InstanceIds = [id] })).Reservations!.SelectMany(r => r.Instances!).Single();

    private Task<Ec2Api.Instance> WaitRunningAsync(string id) =>
        ContractContext.EventuallyAsync(() => DescribeInstanceAsync(id), i => i.State!.Name == "running", $"{id} to run");

    private async Task<Dictionary<string, string>> TagsOfAsync(string id) =>
        (await DescribeInstanceAsync(id)).Tags!.ToDictionary(t => t.Key!, t => t.Value!, StringComparer.Ordinal);

    private async Task<AsgApi.AutoScalingGroup> DescribeGroupAsync(string name) =>
        Assert.Single((await _context.Clients.AutoScaling.DescribeAutoScalingGroupsAsync(new AsgApi.DescribeAutoScalingGroupsRequest { AutoScalingGroupNames = [name] })).AutoScalingGroups!);

    /// <summary>An address in the block's upper half, past the reserved four, that the random allocation is unlikely to have used.</summary>
    private static string FreeAddressIn(string cidr)
    {
        var (network, prefix) = LabPortal.Sandbox.Services.Ec2.Ec2Cidr.Parse(cidr);
        var size = 1u << (32 - prefix);
        return LabPortal.Sandbox.Services.Ec2.Ec2Cidr.Format(network + (size / 2) + (uint)Random.Shared.Next(4, 200));
    }
}
