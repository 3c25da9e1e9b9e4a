using System.Diagnostics;
using LabPortal.Sandbox.Accounts;

namespace LabPortal.Tests.Sandbox.AutoScaling;

/// <summary>
/// boto3 against a started sandbox for Auto Scaling and SSM: botocore's Query and JSON parsers
/// must accept every response (aws-behaviour.md section 0).
/// </summary>
[Trait("Category", "Boto3")]
public sealed class AutoScalingBoto3Tests : IAsyncLifetime
{
    private const string Script = """
        import os, sys, time, boto3
        from botocore.exceptions import ClientError

        def client(name):
            return boto3.client(name, endpoint_url=os.environ["SANDBOX_ENDPOINT"], region_name="ap-northeast-2",
                                aws_access_key_id=os.environ["SANDBOX_KEY"], aws_secret_access_key=os.environ["SANDBOX_SECRET"])

        def eventually(check, what):
            for _ in range(200):
                value = check()
                if value:
                    return value
                time.sleep(0.05)
            sys.exit("timed out waiting for " + what)

        ec2, asg, ssm = client("ec2"), client("autoscaling"), client("ssm")

        ami = ssm.get_parameter(Name="/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64")["Parameter"]["Value"]
        assert ec2.describe_images(ImageIds=[ami])["Images"][0]["ImageId"] == ami
        try:
            ssm.get_parameter(Name="/nope")
            sys.exit("unknown parameter found")
        except ClientError as e:
            assert e.response["Error"]["Code"] == "ParameterNotFound", e.response

        subnets = {s["AvailabilityZone"]: s["SubnetId"] for s in ec2.describe_subnets()["Subnets"]}
        lt = ec2.create_launch_template(LaunchTemplateName="web", LaunchTemplateData={
            "ImageId": ami, "InstanceType": "t3.micro", "IamInstanceProfile": {"Name": "lab-ssm"},
            "UserData": "IyEvYmluL2Jhc2gKZG5mIGluc3RhbGwgLXkgbmdpbngKc3lzdGVtY3RsIHN0YXJ0IG5naW54Cg=="})["LaunchTemplate"]
        asg.create_auto_scaling_group(AutoScalingGroupName="web-asg", MinSize=1, MaxSize=3, DesiredCapacity=2,
                                      LaunchTemplate={"LaunchTemplateId": lt["LaunchTemplateId"], "Version": "$Latest"},
                                      VPCZoneIdentifier=subnets["ap-northeast-2a"] + "," + subnets["ap-northeast-2c"],
                                      HealthCheckType="EC2", HealthCheckGracePeriod=300,
                                      Tags=[{"Key": "Name", "Value": "web", "PropagateAtLaunch": True}])
        try:
            asg.create_auto_scaling_group(AutoScalingGroupName="web-asg", MinSize=1, MaxSize=1,
                                          LaunchTemplate={"LaunchTemplateId": lt["LaunchTemplateId"]}, VPCZoneIdentifier=subnets["ap-northeast-2a"])
            sys.exit("duplicate accepted")
        except ClientError as e:
            assert e.response["Error"]["Code"] == "AlreadyExists", e.response

        def in_service(count):
            group = asg.describe_auto_scaling_groups(AutoScalingGroupNames=["web-asg"])["AutoScalingGroups"][0]
            live = [i for i in group["Instances"] if i["LifecycleState"] == "InService"]
            return group if len(live) == count and len(group["Instances"]) == count else None

        group = eventually(lambda: in_service(2), "2 instances")
        assert sorted(i["AvailabilityZone"] for i in group["Instances"]) == ["ap-northeast-2a", "ap-northeast-2c"], group
        assert group["LaunchTemplate"]["Version"] == "$Latest" and group["HealthCheckGracePeriod"] == 300, group
        assert group["CreatedTime"].year >= 2024 and group["Tags"][0]["PropagateAtLaunch"] is True, group
        ids = [i["InstanceId"] for i in group["Instances"]]
        details = asg.describe_auto_scaling_instances(InstanceIds=ids)["AutoScalingInstances"]
        assert {d["AutoScalingGroupName"] for d in details} == {"web-asg"} and details[0]["HealthStatus"] == "HEALTHY", details
        activities = asg.describe_scaling_activities(AutoScalingGroupName="web-asg")["Activities"]
        assert all(a["Description"].startswith("Launching a new EC2 instance: i-") for a in activities), activities
        assert activities[0]["StatusCode"] == "Successful" and activities[0]["Progress"] == 100 and activities[0]["EndTime"] >= activities[0]["StartTime"], activities

        try:
            asg.attach_load_balancer_target_groups(AutoScalingGroupName="web-asg",
                TargetGroupARNs=["arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:targetgroup/web/0123456789abcdef"])
            sys.exit("unknown target group attached")
        except ClientError as e:
            assert e.response["Error"]["Code"] == "ValidationError", e.response
        assert asg.describe_load_balancer_target_groups(AutoScalingGroupName="web-asg")["LoadBalancerTargetGroups"] == []
        assert asg.describe_traffic_sources(AutoScalingGroupName="web-asg")["TrafficSources"] == []
        asg.create_or_update_tags(Tags=[{"ResourceId": "web-asg", "ResourceType": "auto-scaling-group", "Key": "env", "Value": "lab", "PropagateAtLaunch": False}])
        assert [t["Key"] for t in asg.describe_tags(Filters=[{"Name": "auto-scaling-group", "Values": ["web-asg"]}])["Tags"]] == ["Name", "env"]

        sent = ssm.send_command(DocumentName="AWS-RunShellScript", InstanceIds=[ids[0]], Parameters={"commands": ["systemctl stop nginx"]})["Command"]
        assert sent["Status"] == "Pending" and sent["RequestedDateTime"].year >= 2024, sent
        def finished():
            inv = ssm.get_command_invocation(CommandId=sent["CommandId"], InstanceId=ids[0])
            return inv if inv["Status"] == "Success" else None
        invocation = eventually(finished, "the command")
        assert invocation["ResponseCode"] == 0, invocation
        listed = ssm.list_command_invocations(CommandId=sent["CommandId"], Details=True)["CommandInvocations"]
        assert listed[0]["CommandPlugins"][0]["Status"] == "Success", listed
        try:
            ssm.send_command(DocumentName="AWS-RunShellScript", InstanceIds=["i-0123456789abcdef0"], Parameters={"commands": ["uptime"]})
            sys.exit("unknown instance accepted")
        except ClientError as e:
            assert e.response["Error"]["Code"] == "InvalidInstanceId", e.response

        asg.set_desired_capacity(AutoScalingGroupName="web-asg", DesiredCapacity=1)
        eventually(lambda: in_service(1), "1 instance")
        assert asg.describe_scaling_activities(AutoScalingGroupName="web-asg")["Activities"][0]["Description"].startswith("Terminating EC2 instance: i-")
        try:
            asg.set_desired_capacity(AutoScalingGroupName="web-asg", DesiredCapacity=9)
            sys.exit("desired above max accepted")
        except ClientError as e:
            assert e.response["Error"]["Code"] == "ValidationError", e.response
        try:
            asg.delete_auto_scaling_group(AutoScalingGroupName="web-asg")
            sys.exit("deleted with instances")
        except ClientError as e:
            assert e.response["Error"]["Code"] == "ResourceInUse", e.response
        asg.delete_auto_scaling_group(AutoScalingGroupName="web-asg", ForceDelete=True)
        eventually(lambda: not asg.describe_auto_scaling_groups(AutoScalingGroupNames=["web-asg"])["AutoScalingGroups"], "the group to go")
        print("OK")
        """;

    private readonly FakeMachineFactory _machines = new();
    private LabPortal.Sandbox.SandboxServer _server = null!;
    private SandboxAccount _account = null!;

    public async Task InitializeAsync()
    {
        _server = await TestSandbox.StartAsync(_machines);
        _account = await _server.CreateAccountAsync("boto3-asg");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Boto3_runs_auto_scaling_and_ssm_workflow_when_pointed_at_sandbox()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sandbox-boto3-asg-{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(path, Script);
        try
        {
            var start = new ProcessStartInfo("python3")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(path);
            start.Environment["SANDBOX_ENDPOINT"] = _server.Endpoints.Api.ToString();
            start.Environment["SANDBOX_KEY"] = _account.AccessKeyId;
            start.Environment["SANDBOX_SECRET"] = _account.SecretAccessKey;
            start.Environment["AWS_CONFIG_FILE"] = "/nonexistent";
            start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent";
            start.Environment["AWS_MAX_ATTEMPTS"] = "1";
            start.Environment.Remove("AWS_PROFILE");
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(timeout.Token);
            var output = await stdout + await stderr;

            Assert.True(process.ExitCode == 0, output);
            Assert.Contains("OK", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
