using System.Diagnostics;
using LabPortal.Sandbox;
using LabPortal.Sandbox.Accounts;

namespace LabPortal.Tests.Sandbox;

/// <summary>
/// The official AWS clients against a started sandbox: botocore's serializer, signer and parsers
/// are the ground truth of the wire format (aws-behaviour.md section 0).
/// </summary>
[Trait("Category", "Boto3")]
public sealed class Boto3CompatibilityTests : IAsyncLifetime
{
    private const string Script = """
        import os, sys, boto3
        from botocore.exceptions import ClientError

        ec2 = boto3.client("ec2", endpoint_url=os.environ["SANDBOX_ENDPOINT"], region_name="ap-northeast-2",
                           aws_access_key_id=os.environ["SANDBOX_KEY"], aws_secret_access_key=os.environ["SANDBOX_SECRET"])

        vpcs = ec2.describe_vpcs()["Vpcs"]
        assert len(vpcs) == 1 and vpcs[0]["IsDefault"] and vpcs[0]["CidrBlock"] == "172.31.0.0/16", vpcs
        vpc_id = vpcs[0]["VpcId"]
        subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"]
        assert sorted(s["AvailabilityZone"] for s in subnets) == ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c", "ap-northeast-2d"], subnets

        sg = ec2.create_security_group(GroupName="lab-web", Description="web servers", VpcId=vpc_id,
                                       TagSpecifications=[{"ResourceType": "security-group", "Tags": [{"Key": "lab", "Value": "1"}]}])["GroupId"]
        ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "http"}]}])
        perms = ec2.describe_security_groups(GroupIds=[sg])["SecurityGroups"][0]["IpPermissions"]
        assert perms[0]["FromPort"] == 80 and perms[0]["IpRanges"][0]["CidrIp"] == "0.0.0.0/0", perms
        try:
            ec2.create_security_group(GroupName="lab-web", Description="again")
            sys.exit("duplicate accepted")
        except ClientError as e:
            assert e.response["Error"]["Code"] == "InvalidGroup.Duplicate", e.response

        image = ec2.describe_images(Owners=["amazon"], Filters=[{"Name": "name", "Values": ["al2023-ami-2023*-x86_64"]}])["Images"][0]["ImageId"]
        run = ec2.run_instances(ImageId=image, InstanceType="t3.micro", MinCount=2, MaxCount=2, SecurityGroupIds=[sg],
                                UserData="#!/bin/bash\ndnf install -y nginx\nsystemctl start nginx\n",
                                TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "web"}]}])
        ids = [i["InstanceId"] for i in run["Instances"]]
        assert run["Instances"][0]["State"]["Name"] == "pending"
        ec2.get_waiter("instance_running").wait(InstanceIds=ids, WaiterConfig={"Delay": 1, "MaxAttempts": 30})

        found = ec2.describe_instances(Filters=[{"Name": "tag:Name", "Values": ["web"]}, {"Name": "instance-state-name", "Values": ["running"]}])
        instances = [i for r in found["Reservations"] for i in r["Instances"]]
        assert sorted(i["InstanceId"] for i in instances) == sorted(ids), found
        first = instances[0]
        assert first["PublicDnsName"].endswith(".ap-northeast-2.compute.localhost"), first
        assert first["PrivateIpAddress"].startswith("172.31."), first
        assert first["SecurityGroups"][0]["GroupId"] == sg and first["LaunchTime"].year >= 2024, first
        nic = first["NetworkInterfaces"][0]
        assert nic["Association"]["PublicIp"] == first["PublicIpAddress"] and nic["PrivateIpAddress"] == first["PrivateIpAddress"], nic
        assert nic["Attachment"]["DeviceIndex"] == 0 and nic["Groups"][0]["GroupId"] == sg, nic
        assert first["BlockDeviceMappings"][0]["Ebs"]["VolumeId"].startswith("vol-"), first

        ec2.create_tags(Resources=ids, Tags=[{"Key": "env", "Value": "lab"}])
        tags = ec2.describe_tags(Filters=[{"Name": "key", "Values": ["env"]}])["Tags"]
        assert sorted(t["ResourceId"] for t in tags) == sorted(ids), tags
        ec2.delete_tags(Resources=[ids[0]], Tags=[{"Key": "env"}])
        assert len(ec2.describe_tags(Filters=[{"Name": "key", "Values": ["env"]}])["Tags"]) == 1

        output = ec2.get_console_output(InstanceId=ids[0])
        assert output["InstanceId"] == ids[0], output

        try:
            ec2.describe_instances(InstanceIds=["i-0123456789abcdef0"])
            sys.exit("unknown instance found")
        except ClientError as e:
            assert e.response["Error"]["Code"] == "InvalidInstanceID.NotFound", e.response
            assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 400

        lt = ec2.create_launch_template(LaunchTemplateName="lab-lt", LaunchTemplateData={
            "ImageId": image, "InstanceType": "t3.micro", "SecurityGroupIds": [sg],
            "TagSpecifications": [{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "asg"}]}]})["LaunchTemplate"]
        assert ec2.describe_launch_templates(LaunchTemplateNames=["lab-lt"])["LaunchTemplates"][0]["LatestVersionNumber"] == 1
        versions = ec2.describe_launch_template_versions(LaunchTemplateId=lt["LaunchTemplateId"], Versions=["$Latest"])["LaunchTemplateVersions"]
        assert versions[0]["LaunchTemplateData"]["InstanceType"] == "t3.micro", versions
        v2 = ec2.create_launch_template_version(LaunchTemplateId=lt["LaunchTemplateId"], SourceVersion="1", LaunchTemplateData={"InstanceType": "t3.small"})["LaunchTemplateVersion"]
        assert v2["VersionNumber"] == 2 and v2["LaunchTemplateData"]["ImageId"] == image, v2
        modified = ec2.modify_launch_template(LaunchTemplateId=lt["LaunchTemplateId"], DefaultVersion="2")["LaunchTemplate"]
        assert modified["DefaultVersionNumber"] == 2, modified
        ec2.delete_launch_template(LaunchTemplateId=lt["LaunchTemplateId"])

        key = ec2.create_key_pair(KeyName="lab-key")
        assert key["KeyMaterial"].startswith("-----BEGIN RSA PRIVATE KEY-----") and key["KeyFingerprint"].count(":") == 19, key
        described = ec2.describe_key_pairs(KeyNames=["lab-key"], IncludePublicKey=True)["KeyPairs"][0]
        assert described["PublicKey"].startswith("ssh-rsa ") and described["KeyPairId"] == key["KeyPairId"], described
        ec2.delete_key_pair(KeyName="lab-key")

        ec2.authorize_security_group_egress(GroupId=sg, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}])
        egress = ec2.describe_security_groups(GroupIds=[sg])["SecurityGroups"][0]["IpPermissionsEgress"]
        assert any(p.get("FromPort") == 443 for p in egress), egress
        ec2.revoke_security_group_egress(GroupId=sg, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}])

        ec2.get_waiter("instance_status_ok").wait(InstanceIds=ids, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
        statuses = ec2.describe_instance_status(InstanceIds=ids)["InstanceStatuses"]
        assert all(s["InstanceStatus"]["Status"] == "ok" for s in statuses) and len(statuses) == 2, statuses

        stopping = ec2.stop_instances(InstanceIds=[ids[1]])["StoppingInstances"][0]
        assert stopping["PreviousState"]["Name"] == "running" and stopping["CurrentState"]["Code"] == 64, stopping
        ec2.get_waiter("instance_stopped").wait(InstanceIds=[ids[1]], WaiterConfig={"Delay": 1, "MaxAttempts": 30})
        starting = ec2.start_instances(InstanceIds=[ids[1]])["StartingInstances"][0]
        assert starting["CurrentState"]["Name"] == "pending", starting
        ec2.get_waiter("instance_running").wait(InstanceIds=[ids[1]], WaiterConfig={"Delay": 1, "MaxAttempts": 30})

        ec2.revoke_security_group_ingress(GroupId=sg, IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
        assert ec2.describe_security_groups(GroupIds=[sg])["SecurityGroups"][0]["IpPermissions"] == []
        paginator = ec2.get_paginator("describe_instances")
        pages = list(paginator.paginate(PaginationConfig={"PageSize": 5}))
        assert sum(len(r["Instances"]) for p in pages for r in p["Reservations"]) == 2, pages

        ec2.modify_instance_attribute(InstanceId=ids[0], DisableApiTermination={"Value": True})
        assert ec2.describe_instance_attribute(InstanceId=ids[0], Attribute="disableApiTermination")["DisableApiTermination"]["Value"] is True
        try:
            ec2.terminate_instances(InstanceIds=ids)
            sys.exit("protected instance terminated")
        except ClientError as e:
            assert e.response["Error"]["Code"] == "OperationNotPermitted", e.response
        ec2.modify_instance_attribute(InstanceId=ids[0], Attribute="disableApiTermination", Value="false")
        assert ec2.describe_instance_attribute(InstanceId=ids[0], Attribute="instanceType")["InstanceType"]["Value"] == "t3.micro"

        ec2.terminate_instances(InstanceIds=ids)
        ec2.get_waiter("instance_terminated").wait(InstanceIds=ids, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
        ec2.delete_security_group(GroupId=sg)
        assert [r["RegionName"] for r in ec2.describe_regions()["Regions"]].count("ap-northeast-2") == 1
        assert len(ec2.describe_availability_zones()["AvailabilityZones"]) == 4

        # Presigned (query-string) SigV4: botocore signs a GET URL; the sandbox verifies it like a header signature.
        import urllib.request
        url = ec2.generate_presigned_url("describe_vpcs", Params={}, ExpiresIn=300, HttpMethod="GET")
        assert "X-Amz-Signature=" in url, url
        try:
            with urllib.request.urlopen(url) as response:
                body = response.read().decode()
                assert response.status == 200 and "<DescribeVpcsResponse" in body and vpc_id in body, body
        except urllib.error.HTTPError as e:
            sys.exit(f"presigned {url} -> {e.code} {e.read().decode()}")

        # AWS caps a presigned URL's life at seven days: 604800 s is accepted, one second more is refused.
        with urllib.request.urlopen(ec2.generate_presigned_url("describe_vpcs", Params={}, ExpiresIn=604800, HttpMethod="GET")) as response:
            assert response.status == 200, response.status
        try:
            urllib.request.urlopen(ec2.generate_presigned_url("describe_vpcs", Params={}, ExpiresIn=604801, HttpMethod="GET"))
            sys.exit("presigned URL valid for more than 7 days accepted")
        except urllib.error.HTTPError as e:
            body = e.read().decode()
            assert e.code == 401 and "<Code>AuthFailure</Code>" in body and "604800" in body, (e.code, body)
        print("OK")
        """;

    private readonly FakeMachineFactory _machines = new();
    private SandboxServer _server = null!;
    private SandboxAccount _account = null!;

    public async Task InitializeAsync()
    {
        _server = await TestSandbox.StartAsync(_machines);
        _account = await _server.CreateAccountAsync("boto3");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Boto3_runs_security_group_instance_and_tag_workflow_when_pointed_at_sandbox()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sandbox-boto3-{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(path, Script);
        try
        {
            var (exitCode, output) = await RunAsync("python3", [path]);

            Assert.True(exitCode == 0, output);
            Assert.Contains("OK", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task AwsCli_describe_vpcs_prints_default_vpc_when_endpoint_url_is_sandbox()
    {
        var (exitCode, output) = await RunAsync("aws", ["ec2", "describe-vpcs", "--endpoint-url", _server.Endpoints.Api.ToString(), "--region", "ap-northeast-2", "--output", "json"]);

        Assert.True(exitCode == 0, output);
        Assert.Contains("\"CidrBlock\": \"172.31.0.0/16\"", output, StringComparison.Ordinal);
        Assert.Contains("\"IsDefault\": true", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AwsCli_reports_AuthFailure_when_secret_is_wrong()
    {
        var (exitCode, output) = await RunAsync("aws", ["ec2", "describe-vpcs", "--endpoint-url", _server.Endpoints.Api.ToString(), "--region", "ap-northeast-2"], secret: "wrong-secret-wrong-secret-wrong-secret-00");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("AuthFailure", output, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Output)> RunAsync(string program, string[] arguments, string? secret = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["SANDBOX_ENDPOINT"] = _server.Endpoints.Api.ToString();
        start.Environment["SANDBOX_KEY"] = _account.AccessKeyId;
        start.Environment["SANDBOX_SECRET"] = secret ?? _account.SecretAccessKey;
        start.Environment["AWS_ACCESS_KEY_ID"] = _account.AccessKeyId;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = secret ?? _account.SecretAccessKey;
        start.Environment["AWS_CONFIG_FILE"] = "/nonexistent";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent";
        start.Environment["AWS_MAX_ATTEMPTS"] = "1";
        start.Environment.Remove("AWS_PROFILE");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
