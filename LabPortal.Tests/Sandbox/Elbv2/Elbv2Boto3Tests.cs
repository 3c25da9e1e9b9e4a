using System.Diagnostics;
using System.Globalization;
using System.Text;
using Xunit.Abstractions;

namespace LabPortal.Tests.Sandbox.Elbv2;

/// <summary>
/// The seed lab's load-balancer flow driven by boto3 against a started sandbox: botocore's
/// serializer, parsers and waiters are the ground truth of the wire format. The script asks the
/// test (over stdin/stdout) to stop a web server, since SSM is built on another branch.
/// </summary>
[Trait("Category", "Boto3")]
public sealed class Elbv2Boto3Tests(ITestOutputHelper output)
{
    private const string Script = """
        import os, sys, time, http.client, boto3
        from botocore.exceptions import ClientError

        kw = dict(endpoint_url=os.environ["SANDBOX_ENDPOINT"], region_name="ap-northeast-2",
                  aws_access_key_id=os.environ["SANDBOX_KEY"], aws_secret_access_key=os.environ["SANDBOX_SECRET"])
        ec2 = boto3.client("ec2", **kw)
        elb = boto3.client("elbv2", **kw)
        port = int(os.environ["SANDBOX_DATAPLANE_PORT"])

        def ask(command):
            print(command, flush=True)
            assert sys.stdin.readline().strip() == "ok"

        def get(host, path="/"):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", path, headers={"Host": f"{host}:{port}"})
            response = conn.getresponse()
            body = response.read().decode()
            conn.close()
            return response.status, body, response.getheader("Server")

        def wait_for(what, predicate, timeout=30):
            deadline = time.time() + timeout
            while not predicate():
                if time.time() > deadline:
                    sys.exit("timed out waiting for " + what)
                time.sleep(0.05)

        def health(tg):
            return {d["Target"]["Id"]: d["TargetHealth"] for d in elb.describe_target_health(TargetGroupArn=tg)["TargetHealthDescriptions"]}

        vpc = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
        subnets = {s["AvailabilityZone"]: s["SubnetId"] for s in ec2.describe_subnets()["Subnets"]}
        sg = ec2.create_security_group(GroupName="lab-alb-web", Description="web and alb", VpcId=vpc)["GroupId"]
        ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
        image = ec2.describe_images(Owners=["amazon"], Filters=[{"Name": "name", "Values": ["al2023-ami-2023*-x86_64"]}])["Images"][0]["ImageId"]
        ids = [i["InstanceId"] for i in ec2.run_instances(
            ImageId=image, InstanceType="t3.micro", MinCount=2, MaxCount=2, SecurityGroupIds=[sg],
            UserData="#!/bin/bash\ndnf install -y nginx\nsystemctl enable --now nginx\n")["Instances"]]
        ec2.get_waiter("instance_running").wait(InstanceIds=ids, WaiterConfig={"Delay": 1, "MaxAttempts": 30})

        tg = elb.create_target_group(Name="lab-tg", Protocol="HTTP", Port=80, VpcId=vpc, HealthCheckPath="/",
                                     Tags=[{"Key": "lab", "Value": "alb"}])["TargetGroups"][0]
        assert tg["HealthCheckIntervalSeconds"] == 30 and tg["HealthCheckTimeoutSeconds"] == 5 and tg["Matcher"]["HttpCode"] == "200", tg
        tg_arn = tg["TargetGroupArn"]
        assert elb.create_target_group(Name="lab-tg", Protocol="HTTP", Port=80, VpcId=vpc, HealthCheckPath="/")["TargetGroups"][0]["TargetGroupArn"] == tg_arn
        try:
            elb.create_target_group(Name="lab-tg", Protocol="HTTP", Port=8080, VpcId=vpc)
            sys.exit("duplicate target group accepted")
        except ClientError as e:
            assert e.response["Error"]["Code"] == "DuplicateTargetGroupName", e.response
            assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 400

        elb.register_targets(TargetGroupArn=tg_arn, Targets=[{"Id": i} for i in ids])
        states = {h["State"] for h in health(tg_arn).values()}
        assert states == {"unused"}, health(tg_arn)

        lb = elb.create_load_balancer(Name="lab-alb", Subnets=[subnets["ap-northeast-2a"], subnets["ap-northeast-2c"]],
                                      SecurityGroups=[sg], Scheme="internet-facing", Type="application")["LoadBalancers"][0]
        assert lb["State"]["Code"] == "provisioning", lb
        assert lb["DNSName"].startswith("lab-alb-") and lb["DNSName"].endswith(".ap-northeast-2.elb.localhost"), lb
        assert lb["CanonicalHostedZoneId"] == "ZWKZPGTI48KDX", lb
        lb_arn, dns = lb["LoadBalancerArn"], lb["DNSName"]
        elb.get_waiter("load_balancer_available").wait(LoadBalancerArns=[lb_arn], WaiterConfig={"Delay": 1, "MaxAttempts": 30})
        listener = elb.create_listener(LoadBalancerArn=lb_arn, Protocol="HTTP", Port=80,
                                       DefaultActions=[{"Type": "forward", "TargetGroupArn": tg_arn}])["Listeners"][0]
        assert listener["DefaultActions"][0]["TargetGroupArn"] == tg_arn, listener
        try:
            elb.delete_target_group(TargetGroupArn=tg_arn)
            sys.exit("target group in use was deleted")
        except ClientError as e:
            assert e.response["Error"]["Code"] == "ResourceInUse", e.response

        start = time.time()
        elb.get_waiter("target_in_service").wait(TargetGroupArn=tg_arn, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
        wait_for("both targets healthy", lambda: all(h["State"] == "healthy" for h in health(tg_arn).values()))
        print(f"METRIC healthy_after_listener_ms={(time.time() - start) * 1000:.0f}", flush=True)
        assert all("Reason" not in h for h in health(tg_arn).values()), health(tg_arn)

        counts = {i: 0 for i in ids}
        for _ in range(100):
            status, body, _ = get(dns)
            assert status == 200, (status, body)
            counts[body.replace("hello from ", "")] += 1
        print(f"METRIC split={counts[ids[0]]}/{counts[ids[1]]}", flush=True)
        assert abs(counts[ids[0]] - 50) <= 10, counts

        ask("STOP " + ids[0])
        start = time.time()
        wait_for("first target unhealthy", lambda: health(tg_arn)[ids[0]]["State"] == "unhealthy")
        print(f"METRIC unhealthy_after_stop_ms={(time.time() - start) * 1000:.0f}", flush=True)
        first = health(tg_arn)[ids[0]]
        assert first["Reason"] == "Target.FailedHealthChecks" and first["Description"] == "Health checks failed", first
        assert health(tg_arn)[ids[1]]["State"] == "healthy"
        for _ in range(20):
            status, body, _ = get(dns)
            assert status == 200 and body == "hello from " + ids[1], (status, body)

        ask("STOP " + ids[1])
        wait_for("both targets unhealthy", lambda: all(h["State"] == "unhealthy" for h in health(tg_arn).values()))
        status, body, server = get(dns)
        assert status == 502 and "502 Bad Gateway" in body and server == "awselb/2.0", (status, body, server)

        elb.deregister_targets(TargetGroupArn=tg_arn, Targets=[{"Id": i} for i in ids])
        assert {h["State"] for h in health(tg_arn).values()} <= {"draining"}, health(tg_arn)
        status, body, server = get(dns)
        assert status == 503 and "503 Service Temporarily Unavailable" in body, (status, body)
        elb.get_waiter("target_deregistered").wait(TargetGroupArn=tg_arn, Targets=[{"Id": i} for i in ids], WaiterConfig={"Delay": 1, "MaxAttempts": 30})

        elb.add_tags(ResourceArns=[lb_arn], Tags=[{"Key": "env", "Value": "lab"}])
        tags = elb.describe_tags(ResourceArns=[lb_arn, tg_arn])["TagDescriptions"]
        assert tags[0]["Tags"] == [{"Key": "env", "Value": "lab"}] and tags[1]["Tags"] == [{"Key": "lab", "Value": "alb"}], tags
        elb.remove_tags(ResourceArns=[lb_arn], TagKeys=["env"])
        assert elb.describe_tags(ResourceArns=[lb_arn])["TagDescriptions"][0]["Tags"] == []
        attributes = {a["Key"]: a["Value"] for a in elb.describe_target_group_attributes(TargetGroupArn=tg_arn)["Attributes"]}
        assert attributes["deregistration_delay.timeout_seconds"] == "300", attributes
        assert len(elb.describe_listeners(LoadBalancerArn=lb_arn)["Listeners"]) == 1
        rules = elb.describe_rules(ListenerArn=listener["ListenerArn"])["Rules"]
        assert rules[0]["IsDefault"] and rules[0]["Priority"] == "default", rules

        elb.delete_listener(ListenerArn=listener["ListenerArn"])
        elb.delete_load_balancer(LoadBalancerArn=lb_arn)
        elb.delete_target_group(TargetGroupArn=tg_arn)
        assert elb.describe_load_balancers()["LoadBalancers"] == []
        ec2.terminate_instances(InstanceIds=ids)
        ec2.get_waiter("instance_terminated").wait(InstanceIds=ids, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
        ec2.delete_security_group(GroupId=sg)
        print("OK", flush=True)
        """;

    [Fact]
    public async Task Boto3_runs_seed_load_balancer_lab_when_pointed_at_sandbox()
    {
        var machines = new FakeMachineFactory();
        await using var lab = await Elbv2TestLab.StartAsync(machines);
        var path = Path.Combine(Path.GetTempPath(), $"sandbox-elbv2-{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(path, Script);
        try
        {
            var start = new ProcessStartInfo("python3")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(path);
            start.Environment["SANDBOX_ENDPOINT"] = lab.Server.Endpoints.Api.ToString();
            start.Environment["SANDBOX_DATAPLANE_PORT"] = lab.Server.Endpoints.DataPlane.Port.ToString(CultureInfo.InvariantCulture);
            start.Environment["SANDBOX_KEY"] = lab.Account.AccessKeyId;
            start.Environment["SANDBOX_SECRET"] = lab.Account.SecretAccessKey;
            start.Environment["AWS_CONFIG_FILE"] = "/nonexistent";
            start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent";
            start.Environment["AWS_MAX_ATTEMPTS"] = "1";
            start.Environment.Remove("AWS_PROFILE");
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var lines = new StringBuilder();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                lines.AppendLine(line);
                output.WriteLine(line);
                if (line.StartsWith("STOP ", StringComparison.Ordinal))
                {
                    // systemctl stop nginx on that instance.
                    machines.For(line[5..])!.StopWebServer();
                    await process.StandardInput.WriteLineAsync("ok");
                    await process.StandardInput.FlushAsync(timeout.Token);
                }
            }

            await process.WaitForExitAsync(timeout.Token);
            var all = lines + await stderr;

            Assert.True(process.ExitCode == 0, all);
            Assert.Contains("OK", lines.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
