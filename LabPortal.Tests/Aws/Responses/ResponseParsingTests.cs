using System.Net;
using LabPortal.Aws.AutoScaling;
using LabPortal.Aws.Core;
using LabPortal.Aws.Ec2;
using LabPortal.Aws.Elbv2;
using LabPortal.Aws.Ssm;
using LabPortal.Tests.Aws.Support;

namespace LabPortal.Tests.Aws.Responses;

/// <summary>
/// Responses parsed from the example responses in AWS's API references (reproduced here in our own
/// formatting), through the whole client path: marshal, sign, send, read.
/// </summary>
public sealed class ResponseParsingTests
{
    private static FakeAwsHandler Answer(string body, HttpStatusCode status = HttpStatusCode.OK, string contentType = "text/xml") =>
        new(_ => new FakeAwsHandler.Reply(status, body, contentType));

    [Fact]
    public async Task DescribeInstances_parses_reservations_when_given_documented_example()
    {
        var handler = Answer(AwsExamples.Ec2DescribeInstances);
        var ec2 = TestClients.Create(handler).Ec2;

        var response = await ec2.DescribeInstancesAsync(new DescribeInstancesRequest
        {
            Filters = [new LabPortal.Aws.Ec2.Filter { Name = "instance-type", Values = ["t2.micro"] }],
        });

        Assert.Equal("8f7724cf-496f-496e-8fe3-example", response.RequestId);
        var reservation = Assert.Single(response.Reservations!);
        Assert.Equal("r-1234567890abcdef0", reservation.ReservationId);
        var instance = Assert.Single(reservation.Instances!);
        Assert.Equal("i-1234567890abcdef0", instance.InstanceId);
        Assert.Equal(16, instance.State!.Code);
        Assert.Equal("running", instance.State.Name);
        Assert.Equal("eu-west-1c", instance.Placement!.AvailabilityZone);
        Assert.Equal("54.194.252.215", instance.PublicIpAddress);
        Assert.Equal(new DateTimeOffset(2018, 5, 8, 16, 46, 19, TimeSpan.Zero), instance.LaunchTime);
        Assert.Equal("sg-e4076980", Assert.Single(instance.SecurityGroups!).GroupId);
        Assert.Equal(("Name", "Server_1"), (Assert.Single(instance.Tags!).Key, instance.Tags![0].Value));
        Assert.Equal("Filter.1.Name", handler.Requests[0].Form.Keys.ElementAt(2));
    }

    [Fact]
    public async Task RunInstances_parses_instances_when_given_documented_example()
    {
        var ec2 = TestClients.Create(Answer(AwsExamples.Ec2RunInstances)).Ec2;

        var response = await ec2.RunInstancesAsync(new RunInstancesRequest { ImageId = "ami-31814f58", MinCount = 1, MaxCount = 1 });

        var instance = Assert.Single(response.Instances!);
        Assert.Equal("i-1234567890abcdef0", instance.InstanceId);
        Assert.Equal("pending", instance.State!.Name);
        Assert.Equal("r-1234567890abcdef0", response.ReservationId);
    }

    [Fact]
    public async Task CreateSecurityGroup_returns_group_id_when_given_documented_example()
    {
        var ec2 = TestClients.Create(Answer(AwsExamples.Ec2CreateSecurityGroup)).Ec2;

        var response = await ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { GroupName = "websrv", Description = "Web Servers" });

        Assert.Equal("sg-1a2b3c4d", response.GroupId);
        Assert.Equal("59dbff89-35bd-4eac-99ed-be587EXAMPLE", response.RequestId);
    }

    [Fact]
    public async Task CreateTargetGroup_parses_target_group_when_given_documented_example()
    {
        var elb = TestClients.Create(Answer(AwsExamples.ElbCreateTargetGroup)).Elbv2;

        var response = await elb.CreateTargetGroupAsync(new CreateTargetGroupRequest { Name = "my-targets", Protocol = "HTTP", Port = 80, VpcId = "vpc-3ac0fb5f" });

        var tg = Assert.Single(response.TargetGroups!);
        Assert.Equal("arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067", tg.TargetGroupArn);
        Assert.Equal("200", tg.Matcher!.HttpCode);
        Assert.Equal(30, tg.HealthCheckIntervalSeconds);
        Assert.Equal("traffic-port", tg.HealthCheckPort);
        Assert.Equal("b83fe90e-f2d5-11e5-b95d-3b2c1831fc26", response.RequestId);
    }

    [Fact]
    public async Task DescribeTargetHealth_parses_states_and_reasons_when_given_documented_example()
    {
        var elb = TestClients.Create(Answer(AwsExamples.ElbDescribeTargetHealth)).Elbv2;

        var response = await elb.DescribeTargetHealthAsync(new DescribeTargetHealthRequest { TargetGroupArn = "arn:tg" });

        Assert.Collection(
            response.TargetHealthDescriptions!,
            d =>
            {
                Assert.Equal("i-0376fadf", d.Target!.Id);
                Assert.Equal(80, d.Target.Port);
                Assert.Equal("healthy", d.TargetHealth!.State);
            },
            d =>
            {
                Assert.Equal("i-0f76fade", d.Target!.Id);
                Assert.Equal("unhealthy", d.TargetHealth!.State);
                Assert.Equal("Target.ResponseCodeMismatch", d.TargetHealth.Reason);
            });
    }

    [Fact]
    public async Task DeleteTargetGroup_accepts_empty_result_when_response_has_only_metadata()
    {
        var elb = TestClients.Create(Answer(AwsExamples.ElbDeleteTargetGroup)).Elbv2;

        var response = await elb.DeleteTargetGroupAsync(new DeleteTargetGroupRequest { TargetGroupArn = "arn:tg" });

        Assert.Equal("4bd2d8f2-f2d8-11e5-a5d9-6d8c9f4a1b2c", response.RequestId);
    }

    [Fact]
    public async Task DescribeAutoScalingGroups_parses_group_when_given_documented_example()
    {
        var asg = TestClients.Create(Answer(AwsExamples.AsgDescribeAutoScalingGroups)).AutoScaling;

        var response = await asg.DescribeAutoScalingGroupsAsync(new DescribeAutoScalingGroupsRequest { AutoScalingGroupNames = ["my-asg"] });

        var group = Assert.Single(response.AutoScalingGroups!);
        Assert.Equal("my-asg", group.AutoScalingGroupName);
        Assert.Equal(300, group.HealthCheckGracePeriod);
        Assert.Equal("ELB", group.HealthCheckType);
        Assert.Equal(["us-west-2a", "us-west-2b"], group.AvailabilityZones!);
        var instance = Assert.Single(group.Instances!);
        Assert.Equal("InService", instance.LifecycleState);
        Assert.Equal("my-launch-template", instance.LaunchTemplate!.LaunchTemplateName);
        Assert.Equal("arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067", Assert.Single(group.TargetGroupARNs!));
    }

    [Fact]
    public async Task CreateAutoScalingGroup_reads_request_id_when_operation_has_no_output()
    {
        var asg = TestClients.Create(Answer(AwsExamples.AsgCreateAutoScalingGroup)).AutoScaling;

        var response = await asg.CreateAutoScalingGroupAsync(new CreateAutoScalingGroupRequest { AutoScalingGroupName = "my-asg", MinSize = 1, MaxSize = 2 });

        Assert.Equal("8d798a29-f083-11e1-bdfb-cb223EXAMPLE", response.RequestId);
    }

    [Fact]
    public async Task GetParameter_parses_json_when_given_documented_example()
    {
        var handler = Answer(AwsExamples.SsmGetParameter, contentType: "application/x-amz-json-1.1");
        var ssm = TestClients.Create(handler).Ssm;

        var response = await ssm.GetParameterAsync(new GetParameterRequest { Name = "MyGetParameterAPI" });

        Assert.Equal("This is a test", response.Parameter!.Value);
        Assert.Equal(1L, response.Parameter.Version);
        Assert.Equal(2020, response.Parameter.LastModifiedDate!.Value.Year);
        Assert.Equal("req-fake-0001", response.RequestId);
        Assert.Equal("AmazonSSM.GetParameter", handler.Requests[0].Headers["X-Amz-Target"]);
        Assert.StartsWith("application/x-amz-json-1.1", handler.Requests[0].Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Equal("{\"Name\":\"MyGetParameterAPI\"}", handler.Requests[0].Body);
    }

    [Fact]
    public async Task Ec2_error_throws_code_and_request_id_when_given_documented_error_response()
    {
        var ec2 = TestClients.Create(Answer(AwsExamples.Ec2Error, HttpStatusCode.BadRequest)).Ec2;

        var ex = await Assert.ThrowsAsync<AwsServiceException>(() => ec2.StopInstancesAsync(new StopInstancesRequest { InstanceIds = ["i-1a2b3c4d"] }));

        Assert.Equal("InvalidInstanceID.NotFound", ex.Code);
        Assert.Equal("The instance ID 'i-1a2b3c4d' does not exist", ex.Message);
        Assert.Equal("ea966190-f9aa-478e-9ede-example", ex.RequestId);
        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
    }

    [Fact]
    public async Task Query_error_throws_code_when_given_error_response_envelope()
    {
        var elb = TestClients.Create(Answer(AwsExamples.ElbTargetGroupNotFound, HttpStatusCode.BadRequest)).Elbv2;

        var ex = await Assert.ThrowsAsync<AwsServiceException>(() => elb.DescribeTargetHealthAsync(new DescribeTargetHealthRequest { TargetGroupArn = "arn:nope" }));

        Assert.Equal("TargetGroupNotFound", ex.Code);
        Assert.Equal("One or more target groups not found", ex.Message);
        Assert.Equal("2b0bd3b0-0e39-11e6-a8d3-2d7d1e1e2c0b", ex.RequestId);
    }

    [Fact]
    public async Task Json_error_throws_code_without_namespace_when_given_typed_error()
    {
        var ssm = TestClients.Create(Answer("{\"__type\":\"com.amazonaws.ssm#ParameterNotFound\",\"message\":\"\"}", HttpStatusCode.BadRequest, "application/x-amz-json-1.1")).Ssm;

        var ex = await Assert.ThrowsAsync<AwsServiceException>(() => ssm.GetParameterAsync(new GetParameterRequest { Name = "/missing" }));

        Assert.Equal("ParameterNotFound", ex.Code);
    }

    [Fact]
    public async Task DescribeInstancesPagesAsync_follows_next_token_when_service_pages()
    {
        var handler = new FakeAwsHandler(seen => new FakeAwsHandler.Reply(
            HttpStatusCode.OK,
            seen.Form.TryGetValue("NextToken", out var token) && token == "page-2"
                ? AwsExamples.Ec2Page("i-2", null)
                : AwsExamples.Ec2Page("i-1", "page-2")));
        var ec2 = TestClients.Create(handler).Ec2;

        var ids = new List<string>();
        await foreach (var page in ec2.DescribeInstancesPagesAsync(new DescribeInstancesRequest { MaxResults = 5 }))
        {
            ids.AddRange(page.Reservations!.SelectMany(r => r.Instances!).Select(i => i.InstanceId!));
        }

        Assert.Equal(["i-1", "i-2"], ids);
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task DescribeTargetGroupsPagesAsync_follows_marker_when_service_pages()
    {
        var handler = new FakeAwsHandler(seen => new FakeAwsHandler.Reply(
            HttpStatusCode.OK,
            seen.Form.ContainsKey("Marker") ? AwsExamples.ElbTargetGroupsPage("tg-b", null) : AwsExamples.ElbTargetGroupsPage("tg-a", "m-2")));
        var elb = TestClients.Create(handler).Elbv2;

        var names = new List<string>();
        await foreach (var page in elb.DescribeTargetGroupsPagesAsync(new DescribeTargetGroupsRequest()))
        {
            names.AddRange(page.TargetGroups!.Select(t => t.TargetGroupName!));
        }

        Assert.Equal(["tg-a", "tg-b"], names);
        Assert.Equal("m-2", handler.Requests[1].Form["Marker"]);
    }

    [Fact]
    public async Task Transport_signs_every_request_when_calling_a_service()
    {
        var handler = Answer(AwsExamples.Ec2CreateSecurityGroup);
        var ec2 = TestClients.Create(handler, TestClients.Options(sessionToken: "session-token-xyz")).Ec2;

        await ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { GroupName = "websrv", Description = "Web Servers" });

        var headers = handler.Requests[0].Headers;
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=" + TestClients.AccessKey + "/", headers["Authorization"], StringComparison.Ordinal);
        Assert.Contains("/ap-northeast-2/ec2/aws4_request", headers["Authorization"], StringComparison.Ordinal);
        Assert.Contains("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token", headers["Authorization"], StringComparison.Ordinal);
        Assert.Equal("session-token-xyz", headers["X-Amz-Security-Token"]);
        Assert.Matches("^[0-9]{8}T[0-9]{6}Z$", headers["X-Amz-Date"]);
    }
}
