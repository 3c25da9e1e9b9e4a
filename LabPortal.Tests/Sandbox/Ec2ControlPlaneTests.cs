using System.Net;
using System.Text;
using System.Xml.Linq;
using LabPortal.Sandbox.Services.Ec2;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.Sandbox;

public sealed class Ec2ControlPlaneTests : IAsyncLifetime
{
    private readonly FakeMachineFactory _machines = new();
    private LabPortal.Sandbox.SandboxServer _server = null!;
    private SandboxApiClient _client = null!;

    public async Task InitializeAsync() => (_server, _, _client) = await TestSandbox.StartWithAccountAsync(_machines);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task DescribeVpcs_returns_one_default_vpc_when_region_is_new()
    {
        var call = (await _client.Ec2Async("DescribeVpcs")).EnsureOk();

        Assert.Equal(["172.31.0.0/16"], call.Xml.Descendants().Where(e => e.Name.LocalName == "vpcSet").Elements().Select(i => i.Elements().First(e => e.Name.LocalName == "cidrBlock").Value));
        Assert.Equal("true", call.Value("isDefault"));
        Assert.NotNull(call.RequestIdHeader);
        Assert.Equal(call.RequestIdHeader, call.Value("requestId"));
    }

    [Theory]
    [InlineData("ap-northeast-2", 4)]
    [InlineData("eu-west-1", 3)]
    public async Task DescribeSubnets_returns_one_default_subnet_per_zone_when_region_is_new(string region, int zones)
    {
        var account = await _server.CreateAccountAsync("zones");
        var client = new SandboxApiClient(_server.Endpoints.Api, account, region);

        var subnets = (await client.Ec2Async("DescribeSubnets", ("Filter.1.Name", "default-for-az"), ("Filter.1.Value.1", "true"))).EnsureOk();
        var azs = (await client.Ec2Async("DescribeAvailabilityZones")).EnsureOk();

        var expected = Enumerable.Range(0, zones).Select(i => region + (char)('a' + i)).ToList();
        Assert.Equal(expected, subnets.Values("availabilityZone").Order());
        Assert.Equal(expected, azs.Values("zoneName"));
        Assert.All(subnets.Values("cidrBlock"), cidr => Assert.EndsWith("/20", cidr, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateSecurityGroup_fails_with_InvalidGroup_Duplicate_when_name_is_taken()
    {
        (await _client.Ec2Async("CreateSecurityGroup", ("GroupName", "web"), ("GroupDescription", "web servers"))).EnsureOk();

        var second = await _client.Ec2Async("CreateSecurityGroup", ("GroupName", "web"), ("GroupDescription", "again"));

        Assert.Equal(HttpStatusCode.BadRequest, second.Status);
        Assert.Equal("InvalidGroup.Duplicate", second.ErrorCode);
        Assert.NotNull(second.Values("RequestID").SingleOrDefault());
    }

    [Theory]
    [InlineData("sg-web", "InvalidParameterValue")]
    [InlineData("default", "InvalidGroup.Reserved")]
    [InlineData("héllo", "InvalidParameterValue")]
    public async Task CreateSecurityGroup_fails_when_name_breaks_the_rules(string name, string code)
    {
        var call = await _client.Ec2Async("CreateSecurityGroup", ("GroupName", name), ("GroupDescription", "x"));

        Assert.Equal(HttpStatusCode.BadRequest, call.Status);
        Assert.Equal(code, call.ErrorCode);
    }

    [Fact]
    public async Task CreateSecurityGroup_fails_with_MissingParameter_when_description_is_absent()
    {
        var call = await _client.Ec2Async("CreateSecurityGroup", ("GroupName", "web"));

        Assert.Equal("MissingParameter", call.ErrorCode);
    }

    [Fact]
    public async Task AuthorizeSecurityGroupIngress_adds_rule_and_refuses_it_twice_when_repeated()
    {
        var groupId = (await _client.Ec2Async("CreateSecurityGroup", ("GroupName", "web"), ("GroupDescription", "web"))).EnsureOk().Value("groupId");
        (string, string)[] rule = [("GroupId", groupId), ("IpPermissions.1.IpProtocol", "tcp"), ("IpPermissions.1.FromPort", "80"), ("IpPermissions.1.ToPort", "80"), ("IpPermissions.1.IpRanges.1.CidrIp", "0.0.0.0/0")];

        (await _client.Ec2Async("AuthorizeSecurityGroupIngress", rule)).EnsureOk();
        var again = await _client.Ec2Async("AuthorizeSecurityGroupIngress", rule);
        var described = (await _client.Ec2Async("DescribeSecurityGroups", ("GroupId.1", groupId))).EnsureOk();

        Assert.Equal("InvalidPermission.Duplicate", again.ErrorCode);
        Assert.Contains("0.0.0.0/0", described.Values("cidrIp"));
        Assert.Contains("80", described.Values("fromPort"));
    }

    [Fact]
    public async Task RevokeSecurityGroupIngress_removes_rule_and_fails_when_rule_is_absent()
    {
        var groupId = (await _client.Ec2Async("CreateSecurityGroup", ("GroupName", "web"), ("GroupDescription", "web"))).EnsureOk().Value("groupId");
        (string, string)[] rule = [("GroupId", groupId), ("IpPermissions.1.IpProtocol", "tcp"), ("IpPermissions.1.FromPort", "22"), ("IpPermissions.1.ToPort", "22"), ("IpPermissions.1.IpRanges.1.CidrIp", "10.0.0.0/8")];
        (await _client.Ec2Async("AuthorizeSecurityGroupIngress", rule)).EnsureOk();

        (await _client.Ec2Async("RevokeSecurityGroupIngress", rule)).EnsureOk();
        var again = await _client.Ec2Async("RevokeSecurityGroupIngress", rule);

        Assert.Equal("InvalidPermission.NotFound", again.ErrorCode);
        Assert.DoesNotContain("10.0.0.0/8", (await _client.Ec2Async("DescribeSecurityGroups", ("GroupId.1", groupId))).Values("cidrIp"));
    }

    [Theory]
    [InlineData("IpPermissions.1.IpRanges.1.CidrIp", "10.0.0.0/33")]
    [InlineData("IpPermissions.1.FromPort", "90000")]
    [InlineData("IpPermissions.1.FromPort", "eighty")]
    public async Task AuthorizeSecurityGroupIngress_fails_with_InvalidParameterValue_when_value_is_bad(string name, string value)
    {
        var groupId = (await _client.Ec2Async("CreateSecurityGroup", ("GroupName", "web"), ("GroupDescription", "web"))).EnsureOk().Value("groupId");
        var parameters = new Dictionary<string, string>
        {
            ["GroupId"] = groupId,
            ["IpPermissions.1.IpProtocol"] = "tcp",
            ["IpPermissions.1.FromPort"] = "80",
            ["IpPermissions.1.ToPort"] = "80",
            ["IpPermissions.1.IpRanges.1.CidrIp"] = "0.0.0.0/0",
        };
        parameters[name] = value;

        var call = await _client.Ec2Async("AuthorizeSecurityGroupIngress", [.. parameters.Select(p => (p.Key, p.Value))]);

        Assert.Equal(HttpStatusCode.BadRequest, call.Status);
        Assert.Equal("InvalidParameterValue", call.ErrorCode);
    }

    [Fact]
    public async Task RunInstances_boots_machine_and_reaches_running_when_boot_time_passes()
    {
        var ami = await TestSandbox.LatestAmiAsync(_client);
        var userData = Convert.ToBase64String(Encoding.UTF8.GetBytes("#!/bin/bash\ndnf install -y nginx\n"));

        var run = (await _client.Ec2Async("RunInstances", ("ImageId", ami), ("InstanceType", "t3.micro"), ("MinCount", "1"), ("MaxCount", "1"), ("UserData", userData))).EnsureOk();
        var instanceId = run.Value("instanceId");
        Assert.Equal("pending", run.Xml.Descendants().First(e => e.Name.LocalName == "instanceState").Elements().Last().Value);
        await TestSandbox.WaitForStateAsync(_client, instanceId, "running");

        var machine = _machines.For(instanceId)!;
        Assert.Equal(["boot firstBoot=True"], machine.Calls);
        Assert.StartsWith("ec2-", machine.Metadata.PublicHostname, StringComparison.Ordinal);
        Assert.EndsWith(".ap-northeast-2.compute.localhost", machine.Metadata.PublicHostname, StringComparison.Ordinal);
        Assert.StartsWith("172.31.", machine.Metadata.LocalIpv4, StringComparison.Ordinal);
        Assert.Equal($"ip-{machine.Metadata.LocalIpv4.Replace('.', '-')}.ap-northeast-2.compute.internal", machine.Metadata.LocalHostname);
    }

    [Theory]
    [InlineData("")]
    [InlineData(":1")]
    public async Task RunInstances_resolves_an_ssm_parameter_given_as_the_image_id_at_launch(string version)
    {
        const string parameter = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
        var resolved = await LabPortal.Tests.Sandbox.Ssm.SsmCalls.SsmAsync(_client, "GetParameter", new { Name = parameter });
        var ami = System.Text.Json.JsonDocument.Parse(resolved.EnsureOk().Body).RootElement.GetProperty("Parameter").GetProperty("Value").GetString();

        var run = (await _client.Ec2Async("RunInstances", ("ImageId", "resolve:ssm:" + parameter + version), ("MinCount", "1"), ("MaxCount", "1"))).EnsureOk();

        Assert.Equal(ami, run.Value("imageId"));
        var described = (await _client.Ec2Async("DescribeInstances", ("InstanceId.1", run.Value("instanceId")))).EnsureOk();
        Assert.Equal(ami, described.Value("imageId"));
    }

    [Fact]
    public async Task RunInstances_with_an_unknown_ssm_parameter_as_the_image_id_fails_and_launches_nothing()
    {
        var call = await _client.Ec2Async("RunInstances", ("ImageId", "resolve:ssm:/lab/no-such-image"), ("MinCount", "1"), ("MaxCount", "1"));

        Assert.Equal(HttpStatusCode.BadRequest, call.Status);
        Assert.Equal("InvalidParameterValue", call.ErrorCode);
        Assert.Empty((await _client.Ec2Async("DescribeInstances")).EnsureOk().Values("instanceId"));
    }

    [Fact]
    public async Task RunInstances_places_private_ip_inside_chosen_subnet()
    {
        var ami = await TestSandbox.LatestAmiAsync(_client);
        var subnets = (await _client.Ec2Async("DescribeSubnets")).EnsureOk().Xml.Descendants().Where(e => e.Name.LocalName == "subnetSet").Elements().ToList();
        var subnet = subnets[1];
        var subnetId = subnet.Elements().First(e => e.Name.LocalName == "subnetId").Value;
        var cidr = subnet.Elements().First(e => e.Name.LocalName == "cidrBlock").Value;

        var run = (await _client.Ec2Async("RunInstances", ("ImageId", ami), ("MinCount", "3"), ("MaxCount", "3"), ("SubnetId", subnetId))).EnsureOk();

        var (network, prefix) = Ec2Cidr.Parse(cidr);
        var ips = run.Values("privateIpAddress").ToList();
        Assert.Equal(3, ips.Distinct().Count());
        Assert.All(ips, ip =>
        {
            var (address, _) = Ec2Cidr.Parse(ip + "/32");
            Assert.Equal(network, address & (uint.MaxValue << (32 - prefix)));
        });
    }

    [Theory]
    [InlineData("ImageId", "ami-0000000000000000f", "InvalidAMIID.NotFound")]
    [InlineData("ImageId", "banana", "InvalidAMIID.Malformed")]
    [InlineData("InstanceType", "t9.gigantic", "InvalidParameterValue")]
    [InlineData("SubnetId", "subnet-0123456789abcdef0", "InvalidSubnetID.NotFound")]
    [InlineData("SecurityGroupId.1", "sg-0123456789abcdef0", "InvalidGroup.NotFound")]
    [InlineData("UserData", "!!!not-base64!!!", "InvalidParameterValue")]
    [InlineData("MinCount", "0", "InvalidParameterValue")]
    public async Task RunInstances_fails_with_aws_code_when_parameter_is_wrong(string name, string value, string code)
    {
        var ami = await TestSandbox.LatestAmiAsync(_client);
        var parameters = new Dictionary<string, string> { ["ImageId"] = ami, ["MinCount"] = "1", ["MaxCount"] = "1" };
        parameters[name] = value;

        var call = await _client.Ec2Async("RunInstances", [.. parameters.Select(p => (p.Key, p.Value))]);

        Assert.Equal(HttpStatusCode.BadRequest, call.Status);
        Assert.Equal(code, call.ErrorCode);
    }

    [Fact]
    public async Task RunInstances_returns_same_reservation_when_client_token_repeats()
    {
        var ami = await TestSandbox.LatestAmiAsync(_client);

        var first = (await _client.Ec2Async("RunInstances", ("ImageId", ami), ("MinCount", "1"), ("MaxCount", "1"), ("ClientToken", "token-1"))).EnsureOk();
        var second = (await _client.Ec2Async("RunInstances", ("ImageId", ami), ("MinCount", "1"), ("MaxCount", "1"), ("ClientToken", "token-1"))).EnsureOk();
        var mismatch = await _client.Ec2Async("RunInstances", ("ImageId", ami), ("MinCount", "2"), ("MaxCount", "2"), ("ClientToken", "token-1"));

        Assert.Equal(first.Value("instanceId"), second.Value("instanceId"));
        Assert.Equal(first.Value("reservationId"), second.Value("reservationId"));
        Assert.Equal("IdempotentParameterMismatch", mismatch.ErrorCode);
    }

    [Fact]
    public async Task DescribeInstances_fails_with_InvalidInstanceID_NotFound_when_id_is_unknown()
    {
        var call = await _client.Ec2Async("DescribeInstances", ("InstanceId.1", "i-0123456789abcdef0"));

        Assert.Equal(HttpStatusCode.BadRequest, call.Status);
        Assert.Equal("InvalidInstanceID.NotFound", call.ErrorCode);
        Assert.Contains("i-0123456789abcdef0", call.Value("Message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DescribeInstances_filters_by_tag_state_and_pages_when_asked()
    {
        var ami = await TestSandbox.LatestAmiAsync(_client);
        (await _client.Ec2Async("RunInstances", ("ImageId", ami), ("MinCount", "3"), ("MaxCount", "3"), ("TagSpecification.1.ResourceType", "instance"), ("TagSpecification.1.Tag.1.Key", "Name"), ("TagSpecification.1.Tag.1.Value", "web"))).EnsureOk();
        (await _client.Ec2Async("RunInstances", ("ImageId", ami), ("MinCount", "2"), ("MaxCount", "2"), ("TagSpecification.1.ResourceType", "instance"), ("TagSpecification.1.Tag.1.Key", "Name"), ("TagSpecification.1.Tag.1.Value", "db"))).EnsureOk();

        var web = (await _client.Ec2Async("DescribeInstances", ("Filter.1.Name", "tag:Name"), ("Filter.1.Value.1", "web"))).EnsureOk();
        var wildcard = (await _client.Ec2Async("DescribeInstances", ("Filter.1.Name", "tag:Name"), ("Filter.1.Value.1", "w*"), ("Filter.2.Name", "instance-state-name"), ("Filter.2.Value.1", "pending"), ("Filter.2.Value.2", "running"))).EnsureOk();
        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var parameters = new List<(string, string)> { ("MaxResults", "5") };
            if (token is not null)
            {
                parameters.Add(("NextToken", token));
            }

            var page = (await _client.Ec2Async("DescribeInstances", [.. parameters])).EnsureOk();
            seen.AddRange(page.Values("instanceId"));
            token = page.Values("nextToken").FirstOrDefault();
            pages++;
        }
        while (token is not null && pages < 10);

        Assert.Equal(3, web.Values("instanceId").Count());
        Assert.Equal(3, wildcard.Values("instanceId").Count());
        Assert.Equal(5, seen.Distinct().Count());
        Assert.Equal(1, pages);
        var bad = await _client.Ec2Async("DescribeInstances", ("Filter.1.Name", "no-such-filter"), ("Filter.1.Value.1", "x"));
        Assert.Equal("InvalidParameterValue", bad.ErrorCode);
    }

    [Fact]
    public async Task StopInstances_then_StartInstances_reboots_machine_without_user_data_when_started_again()
    {
        var ami = await TestSandbox.LatestAmiAsync(_client);
        var instanceId = (await _client.Ec2Async("RunInstances", ("ImageId", ami), ("MinCount", "1"), ("MaxCount", "1"))).EnsureOk().Value("instanceId");
        await TestSandbox.WaitForStateAsync(_client, instanceId, "running");

        var stop = (await _client.Ec2Async("StopInstances", ("InstanceId.1", instanceId))).EnsureOk();
        Assert.Equal("stopping", stop.Xml.Descendants().First(e => e.Name.LocalName == "currentState").Elements().Last().Value);
        await TestSandbox.WaitForStateAsync(_client, instanceId, "stopped");
        var stopped = (await _client.Ec2Async("DescribeInstances", ("InstanceId.1", instanceId))).EnsureOk();
        Assert.Equal(string.Empty, stopped.Value("dnsName"));
        var first = _machines.For(instanceId)!;

        (await _client.Ec2Async("StartInstances", ("InstanceId.1", instanceId))).EnsureOk();
        await TestSandbox.WaitForStateAsync(_client, instanceId, "running");

        var second = _machines.For(instanceId)!;
        Assert.Equal(["boot firstBoot=True", "shutdown", "dispose"], first.Calls);
        Assert.Equal(["boot firstBoot=False"], second.Calls);
        Assert.NotNull(second.Restored);
    }

    [Fact]
    public async Task StopInstances_fails_with_IncorrectInstanceState_when_instance_is_terminated()
    {
        var ami = await TestSandbox.LatestAmiAsync(_client);
        var instanceId = (await _client.Ec2Async("RunInstances", ("ImageId", ami), ("MinCount", "1"), ("MaxCount", "1"))).EnsureOk().Value("instanceId");
        (await _client.Ec2Async("TerminateInstances", ("InstanceId.1", instanceId))).EnsureOk();
        await TestSandbox.WaitForStateAsync(_client, instanceId, "terminated");

        var call = await _client.Ec2Async("StopInstances", ("InstanceId.1", instanceId));

        Assert.Equal("IncorrectInstanceState", call.ErrorCode);
    }

    [Fact]
    public async Task TerminateInstances_shuts_down_and_disposes_machine_when_instance_terminates()
    {
        var ami = await TestSandbox.LatestAmiAsync(_client);
        var instanceId = (await _client.Ec2Async("RunInstances", ("ImageId", ami), ("MinCount", "1"), ("MaxCount", "1"))).EnsureOk().Value("instanceId");
        await TestSandbox.WaitForStateAsync(_client, instanceId, "running");

        var terminate = (await _client.Ec2Async("TerminateInstances", ("InstanceId.1", instanceId))).EnsureOk();
        Assert.Equal("shutting-down", terminate.Xml.Descendants().First(e => e.Name.LocalName == "currentState").Elements().Last().Value);
        Assert.Equal("running", terminate.Xml.Descendants().First(e => e.Name.LocalName == "previousState").Elements().Last().Value);
        await TestSandbox.WaitForStateAsync(_client, instanceId, "terminated");

        Assert.Equal(["boot firstBoot=True", "shutdown", "dispose"], _machines.For(instanceId)!.Calls);
    }

    [Fact]
    public async Task DeleteSecurityGroup_fails_with_DependencyViolation_while_an_instance_uses_it()
    {
        var ami = await TestSandbox.LatestAmiAsync(_client);
        var groupId = (await _client.Ec2Async("CreateSecurityGroup", ("GroupName", "web"), ("GroupDescription", "web"))).EnsureOk().Value("groupId");
        var instanceId = (await _client.Ec2Async("RunInstances", ("ImageId", ami), ("MinCount", "1"), ("MaxCount", "1"), ("SecurityGroupId.1", groupId))).EnsureOk().Value("instanceId");

        var blocked = await _client.Ec2Async("DeleteSecurityGroup", ("GroupId", groupId));
        (await _client.Ec2Async("TerminateInstances", ("InstanceId.1", instanceId))).EnsureOk();
        await TestSandbox.WaitForStateAsync(_client, instanceId, "terminated");
        var deleted = await _client.Ec2Async("DeleteSecurityGroup", ("GroupId", groupId));
        var gone = await _client.Ec2Async("DescribeSecurityGroups", ("GroupId.1", groupId));

        Assert.Equal("DependencyViolation", blocked.ErrorCode);
        deleted.EnsureOk();
        Assert.Equal("InvalidGroup.NotFound", gone.ErrorCode);
    }

    [Fact]
    public async Task DeleteSecurityGroup_fails_with_CannotDelete_when_group_is_default()
    {
        var groupId = (await _client.Ec2Async("DescribeSecurityGroups", ("GroupName.1", "default"))).EnsureOk().Value("groupId");

        var call = await _client.Ec2Async("DeleteSecurityGroup", ("GroupId", groupId));

        Assert.Equal("CannotDelete", call.ErrorCode);
    }

    [Fact]
    public async Task GetConsoleOutput_returns_machine_console_in_base64()
    {
        var ami = await TestSandbox.LatestAmiAsync(_client);
        var instanceId = (await _client.Ec2Async("RunInstances", ("ImageId", ami), ("MinCount", "1"), ("MaxCount", "1"))).EnsureOk().Value("instanceId");
        await TestSandbox.WaitForStateAsync(_client, instanceId, "running");

        var call = (await _client.Ec2Async("GetConsoleOutput", ("InstanceId", instanceId))).EnsureOk();

        Assert.Equal(_machines.For(instanceId)!.ConsoleOutput, Encoding.UTF8.GetString(Convert.FromBase64String(call.Value("output"))));
    }

    [Fact]
    public async Task CreateTags_DescribeTags_DeleteTags_round_trip_on_instance_and_group()
    {
        var ami = await TestSandbox.LatestAmiAsync(_client);
        var instanceId = (await _client.Ec2Async("RunInstances", ("ImageId", ami), ("MinCount", "1"), ("MaxCount", "1"))).EnsureOk().Value("instanceId");
        var groupId = (await _client.Ec2Async("CreateSecurityGroup", ("GroupName", "web"), ("GroupDescription", "web"))).EnsureOk().Value("groupId");

        (await _client.Ec2Async("CreateTags", ("ResourceId.1", instanceId), ("ResourceId.2", groupId), ("Tag.1.Key", "env"), ("Tag.1.Value", "lab"), ("Tag.2.Key", "owner"), ("Tag.2.Value", "kim"))).EnsureOk();
        var both = (await _client.Ec2Async("DescribeTags", ("Filter.1.Name", "key"), ("Filter.1.Value.1", "env"))).EnsureOk();
        (await _client.Ec2Async("DeleteTags", ("ResourceId.1", instanceId), ("Tag.1.Key", "env"))).EnsureOk();
        var after = (await _client.Ec2Async("DescribeTags", ("Filter.1.Name", "resource-id"), ("Filter.1.Value.1", instanceId))).EnsureOk();
        var missing = await _client.Ec2Async("CreateTags", ("ResourceId.1", "i-0123456789abcdef0"), ("Tag.1.Key", "a"), ("Tag.1.Value", "b"));
        var reserved = await _client.Ec2Async("CreateTags", ("ResourceId.1", instanceId), ("Tag.1.Key", "aws:x"), ("Tag.1.Value", "b"));

        Assert.Equal(new[] { "instance", "security-group" }.Order(), both.Values("resourceType").Order());
        Assert.Equal(["owner"], after.Values("key"));
        Assert.Equal("InvalidInstanceID.NotFound", missing.ErrorCode);
        Assert.Equal("InvalidParameterValue", reserved.ErrorCode);
    }

    [Fact]
    public async Task DescribeImages_lists_amazon_linux_2023_with_catalog_id()
    {
        var call = (await _client.Ec2Async("DescribeImages", ("Owner.1", "amazon"))).EnsureOk();

        var expected = Ec2ImageCatalog.PublicParameters("ap-northeast-2")["/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"];
        Assert.Contains(expected, call.Values("imageId"));
        Assert.NotEqual(expected, Ec2ImageCatalog.PublicParameters("us-east-1")["/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"]);
    }

    [Fact]
    public async Task LaunchTemplate_creates_describes_launches_and_deletes()
    {
        var ami = await TestSandbox.LatestAmiAsync(_client);
        var groupId = (await _client.Ec2Async("CreateSecurityGroup", ("GroupName", "web"), ("GroupDescription", "web"))).EnsureOk().Value("groupId");
        var userData = Convert.ToBase64String(Encoding.UTF8.GetBytes("#!/bin/bash\necho hi"));

        var created = (await _client.Ec2Async("CreateLaunchTemplate", ("LaunchTemplateName", "lab-lt"), ("LaunchTemplateData.ImageId", ami), ("LaunchTemplateData.InstanceType", "t3.micro"), ("LaunchTemplateData.UserData", userData), ("LaunchTemplateData.SecurityGroupId.1", groupId), ("LaunchTemplateData.TagSpecification.1.ResourceType", "instance"), ("LaunchTemplateData.TagSpecification.1.Tag.1.Key", "Name"), ("LaunchTemplateData.TagSpecification.1.Tag.1.Value", "from-lt"))).EnsureOk();
        var templateId = created.Value("launchTemplateId");
        var duplicate = await _client.Ec2Async("CreateLaunchTemplate", ("LaunchTemplateName", "lab-lt"), ("LaunchTemplateData.ImageId", ami));
        var listed = (await _client.Ec2Async("DescribeLaunchTemplates", ("LaunchTemplateName.1", "lab-lt"))).EnsureOk();
        var versions = (await _client.Ec2Async("DescribeLaunchTemplateVersions", ("LaunchTemplateId", templateId), ("LaunchTemplateVersion.1", "$Latest"))).EnsureOk();
        var run = (await _client.Ec2Async("RunInstances", ("LaunchTemplate.LaunchTemplateName", "lab-lt"), ("LaunchTemplate.Version", "$Latest"), ("MinCount", "1"), ("MaxCount", "1"))).EnsureOk();
        var deleted = (await _client.Ec2Async("DeleteLaunchTemplate", ("LaunchTemplateId", templateId))).EnsureOk();
        var gone = await _client.Ec2Async("DescribeLaunchTemplates", ("LaunchTemplateId.1", templateId));

        Assert.Equal("InvalidLaunchTemplateName.AlreadyExistsException", duplicate.ErrorCode);
        Assert.Equal(templateId, listed.Value("launchTemplateId"));
        Assert.Equal(userData, versions.Value("userData"));
        Assert.Equal("t3.micro", run.Value("instanceType"));
        Assert.Equal(groupId, run.Xml.Descendants().First(e => e.Name.LocalName == "groupSet" && e.HasElements).Descendants().First(e => e.Name.LocalName == "groupId").Value);
        Assert.Contains("from-lt", run.Values("value"));
        Assert.Equal(templateId, deleted.Value("launchTemplateId"));
        Assert.Equal("InvalidLaunchTemplateId.NotFound", gone.ErrorCode);
    }

    [Fact]
    public async Task DryRun_answers_DryRunOperation_412_and_changes_nothing()
    {
        var call = await _client.Ec2Async("CreateSecurityGroup", ("GroupName", "web"), ("GroupDescription", "web"), ("DryRun", "true"));
        var groups = (await _client.Ec2Async("DescribeSecurityGroups")).EnsureOk();

        Assert.Equal((HttpStatusCode)412, call.Status);
        Assert.Equal("DryRunOperation", call.ErrorCode);
        Assert.DoesNotContain("web", groups.Values("groupName"));
    }

    [Fact]
    public async Task DescribeRegions_lists_seoul_with_endpoint()
    {
        var call = (await _client.Ec2Async("DescribeRegions")).EnsureOk();

        Assert.Contains("ap-northeast-2", call.Values("regionName"));
        Assert.Contains("ec2.ap-northeast-2.amazonaws.com", call.Values("regionEndpoint"));
    }

    [Fact]
    public async Task RunInstances_fails_with_InvalidKeyPair_NotFound_until_key_pair_exists()
    {
        var ami = await TestSandbox.LatestAmiAsync(_client);

        var before = await _client.Ec2Async("RunInstances", ("ImageId", ami), ("MinCount", "1"), ("MaxCount", "1"), ("KeyName", "lab-key"));
        var created = (await _client.Ec2Async("CreateKeyPair", ("KeyName", "lab-key"))).EnsureOk();
        var duplicate = await _client.Ec2Async("CreateKeyPair", ("KeyName", "lab-key"));
        var after = (await _client.Ec2Async("RunInstances", ("ImageId", ami), ("MinCount", "1"), ("MaxCount", "1"), ("KeyName", "lab-key"))).EnsureOk();

        Assert.Equal("InvalidKeyPair.NotFound", before.ErrorCode);
        Assert.StartsWith("-----BEGIN RSA PRIVATE KEY-----", created.Value("keyMaterial"), StringComparison.Ordinal);
        Assert.Equal("InvalidKeyPair.Duplicate", duplicate.ErrorCode);
        Assert.Equal("lab-key", after.Value("keyName"));
    }

    [Fact]
    public async Task DescribeInstanceStatus_lists_running_instances_only_unless_all_are_asked_for()
    {
        var ami = await TestSandbox.LatestAmiAsync(_client);
        var running = (await _client.Ec2Async("RunInstances", ("ImageId", ami), ("MinCount", "1"), ("MaxCount", "1"))).EnsureOk().Value("instanceId");
        await TestSandbox.WaitForStateAsync(_client, running, "running");
        var pending = (await _client.Ec2Async("RunInstances", ("ImageId", ami), ("MinCount", "1"), ("MaxCount", "1"))).EnsureOk().Value("instanceId");

        var onlyRunning = (await _client.Ec2Async("DescribeInstanceStatus")).EnsureOk();
        var all = (await _client.Ec2Async("DescribeInstanceStatus", ("IncludeAllInstances", "true"))).EnsureOk();

        Assert.Contains(running, onlyRunning.Values("instanceId"));
        Assert.DoesNotContain(pending, onlyRunning.Values("instanceId"));
        Assert.Contains(pending, all.Values("instanceId"));
    }

    [Fact]
    public async Task CreateLaunchTemplateVersion_copies_source_and_ModifyLaunchTemplate_moves_default()
    {
        var ami = await TestSandbox.LatestAmiAsync(_client);
        var templateId = (await _client.Ec2Async("CreateLaunchTemplate", ("LaunchTemplateName", "lab-lt"), ("LaunchTemplateData.ImageId", ami), ("LaunchTemplateData.InstanceType", "t3.micro"))).EnsureOk().Value("launchTemplateId");

        var v2 = (await _client.Ec2Async("CreateLaunchTemplateVersion", ("LaunchTemplateId", templateId), ("SourceVersion", "1"), ("LaunchTemplateData.InstanceType", "t3.small"))).EnsureOk();
        (await _client.Ec2Async("ModifyLaunchTemplate", ("LaunchTemplateId", templateId), ("SetDefaultVersion", "2"))).EnsureOk();
        var launched = (await _client.Ec2Async("RunInstances", ("LaunchTemplate.LaunchTemplateId", templateId), ("MinCount", "1"), ("MaxCount", "1"))).EnsureOk();

        Assert.Equal("2", v2.Value("versionNumber"));
        Assert.Equal(ami, v2.Value("imageId"));
        Assert.Equal("t3.small", launched.Value("instanceType"));
    }

    [Fact]
    public async Task AuthorizeSecurityGroupEgress_adds_and_RevokeSecurityGroupEgress_removes_rule()
    {
        var groupId = (await _client.Ec2Async("CreateSecurityGroup", ("GroupName", "web"), ("GroupDescription", "web"))).EnsureOk().Value("groupId");
        (string, string)[] rule = [("GroupId", groupId), ("IpPermissions.1.IpProtocol", "tcp"), ("IpPermissions.1.FromPort", "5432"), ("IpPermissions.1.ToPort", "5432"), ("IpPermissions.1.IpRanges.1.CidrIp", "10.0.0.0/16")];

        (await _client.Ec2Async("AuthorizeSecurityGroupEgress", rule)).EnsureOk();
        var added = (await _client.Ec2Async("DescribeSecurityGroups", ("GroupId.1", groupId))).EnsureOk();
        (await _client.Ec2Async("RevokeSecurityGroupEgress", rule)).EnsureOk();
        var removed = (await _client.Ec2Async("DescribeSecurityGroups", ("GroupId.1", groupId))).EnsureOk();

        Assert.Contains("10.0.0.0/16", added.Xml.Descendants().First(e => e.Name.LocalName == "ipPermissionsEgress").Descendants().Select(e => e.Value));
        Assert.DoesNotContain("10.0.0.0/16", removed.Values("cidrIp"));
    }

    [Fact]
    public async Task DeleteSecurityGroup_fails_with_DependencyViolation_while_another_service_declares_use()
    {
        var references = new FixedGroupReferences();
        await using var server = await TestSandbox.StartAsync(_machines, configure: services => services.AddSingleton<ISecurityGroupReferences>(references));
        var client = new SandboxApiClient(server.Endpoints.Api, await server.CreateAccountAsync("lb-owner"));
        var groupId = (await client.Ec2Async("CreateSecurityGroup", ("GroupName", "alb"), ("GroupDescription", "load balancer"))).EnsureOk().Value("groupId");
        references.InUse.Add(groupId);

        var blocked = await client.Ec2Async("DeleteSecurityGroup", ("GroupId", groupId));
        references.InUse.Clear();
        var deleted = await client.Ec2Async("DeleteSecurityGroup", ("GroupId", groupId));

        Assert.Equal("DependencyViolation", blocked.ErrorCode);
        deleted.EnsureOk();
    }

    private sealed class FixedGroupReferences : ISecurityGroupReferences
    {
        public HashSet<string> InUse { get; } = [];

        public bool IsInUse(LabPortal.Sandbox.State.AccountScope scope, string region, string groupId) => InUse.Contains(groupId);
    }

    [Fact]
    public async Task ModifyInstanceAttribute_changes_type_only_while_stopped()
    {
        var ami = await TestSandbox.LatestAmiAsync(_client);
        var instanceId = (await _client.Ec2Async("RunInstances", ("ImageId", ami), ("InstanceType", "t3.micro"), ("MinCount", "1"), ("MaxCount", "1"))).EnsureOk().Value("instanceId");
        await TestSandbox.WaitForStateAsync(_client, instanceId, "running");

        var whileRunning = await _client.Ec2Async("ModifyInstanceAttribute", ("InstanceId", instanceId), ("InstanceType.Value", "t3.large"));
        (await _client.Ec2Async("StopInstances", ("InstanceId.1", instanceId))).EnsureOk();
        await TestSandbox.WaitForStateAsync(_client, instanceId, "stopped");
        (await _client.Ec2Async("ModifyInstanceAttribute", ("InstanceId", instanceId), ("InstanceType.Value", "t3.large"))).EnsureOk();
        var described = (await _client.Ec2Async("DescribeInstanceAttribute", ("InstanceId", instanceId), ("Attribute", "instanceType"))).EnsureOk();

        Assert.Equal("IncorrectInstanceState", whileRunning.ErrorCode);
        Assert.Equal("t3.large", described.Value("value"));
    }

    [Fact]
    public async Task TerminateInstances_fails_with_OperationNotPermitted_while_termination_protection_is_on()
    {
        var ami = await TestSandbox.LatestAmiAsync(_client);
        var instanceId = (await _client.Ec2Async("RunInstances", ("ImageId", ami), ("MinCount", "1"), ("MaxCount", "1"), ("DisableApiTermination", "true"))).EnsureOk().Value("instanceId");

        var refused = await _client.Ec2Async("TerminateInstances", ("InstanceId.1", instanceId));
        (await _client.Ec2Async("ModifyInstanceAttribute", ("InstanceId", instanceId), ("DisableApiTermination.Value", "false"))).EnsureOk();
        var accepted = await _client.Ec2Async("TerminateInstances", ("InstanceId.1", instanceId));

        Assert.Equal("OperationNotPermitted", refused.ErrorCode);
        accepted.EnsureOk();
    }
}
