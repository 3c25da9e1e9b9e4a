using System.Net;
using Amazon.Runtime;
using LabPortal.Aws.AutoScaling;
using LabPortal.Aws.Elbv2;
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
    public async Task CreateTargetGroup_parses_target_group_when_given_documented_example()
    {
        var elb = TestClients.Create(Answer(AwsExamples.ElbCreateTargetGroup)).Elbv2;

        var response = await elb.CreateTargetGroupAsync(new CreateTargetGroupRequest { Name = "my-targets", Protocol = "HTTP", Port = 80, VpcId = "vpc-3ac0fb5f" });

        var tg = Assert.Single(response.TargetGroups!);
        Assert.Equal("arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067", tg.TargetGroupArn);
        Assert.Equal("200", tg.Matcher!.HttpCode);
        Assert.Equal(30, tg.HealthCheckIntervalSeconds);
        Assert.Equal("traffic-port", tg.HealthCheckPort);
        Assert.Equal("b83fe90e-f2d5-11e5-b95d-3b2c1831fc26", response.ResponseMetadata.RequestId);
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

        Assert.Equal("4bd2d8f2-f2d8-11e5-a5d9-6d8c9f4a1b2c", response.ResponseMetadata.RequestId);
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

        Assert.Equal("8d798a29-f083-11e1-bdfb-cb223EXAMPLE", response.ResponseMetadata.RequestId);
    }

    [Fact]
    public async Task Query_error_throws_code_when_given_error_response_envelope()
    {
        var elb = TestClients.Create(Answer(AwsExamples.ElbTargetGroupNotFound, HttpStatusCode.BadRequest)).Elbv2;

        var ex = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => elb.DescribeTargetHealthAsync(new DescribeTargetHealthRequest { TargetGroupArn = "arn:nope" }));

        Assert.Equal("TargetGroupNotFound", ex.ErrorCode);
        Assert.Equal("One or more target groups not found", ex.Message);
        Assert.Equal("2b0bd3b0-0e39-11e6-a8d3-2d7d1e1e2c0b", ex.RequestId);
    }

    [Fact]
    public async Task DescribeTargetGroups_paginator_follows_marker_when_service_pages()
    {
        var handler = new FakeAwsHandler(seen => new FakeAwsHandler.Reply(
            HttpStatusCode.OK,
            seen.Form.ContainsKey("Marker") ? AwsExamples.ElbTargetGroupsPage("tg-b", null) : AwsExamples.ElbTargetGroupsPage("tg-a", "m-2")));
        var elb = TestClients.Create(handler).Elbv2;

        var names = new List<string>();
        await foreach (var page in elb.Paginators.DescribeTargetGroups(new DescribeTargetGroupsRequest()).Responses)
        {
            names.AddRange(page.TargetGroups!.Select(t => t.TargetGroupName!));
        }

        var items = new List<string>();
        await foreach (var group in elb.Paginators.DescribeTargetGroups(new DescribeTargetGroupsRequest()).TargetGroups)
        {
            items.Add(group.TargetGroupName!);
        }

        Assert.Equal(["tg-a", "tg-b"], names);
        Assert.Equal(["tg-a", "tg-b"], items);
        Assert.Equal("m-2", handler.Requests[1].Form["Marker"]);
    }

    [Fact]
    public async Task Transport_signs_every_request_when_calling_a_service()
    {
        var handler = Answer(AwsExamples.AsgCreateAutoScalingGroup);
        var asg = TestClients.Create(handler, sessionToken: "session-token-xyz").AutoScaling;

        await asg.CreateAutoScalingGroupAsync(new CreateAutoScalingGroupRequest { AutoScalingGroupName = "web", MinSize = 1, MaxSize = 2 });

        var headers = handler.Requests[0].Headers;
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=" + TestClients.AccessKey + "/", headers["Authorization"], StringComparison.Ordinal);
        Assert.Contains("/ap-northeast-2/autoscaling/aws4_request", headers["Authorization"], StringComparison.Ordinal);
        var signed = headers["Authorization"].Split("SignedHeaders=")[1].Split(',')[0].Split(';').ToHashSet(StringComparer.Ordinal);
        Assert.Subset(signed, new HashSet<string>(["content-type", "host", "x-amz-date", "x-amz-security-token"], StringComparer.Ordinal));
        Assert.Equal("session-token-xyz", headers["X-Amz-Security-Token"]);
        Assert.Matches("^[0-9]{8}T[0-9]{6}Z$", headers["X-Amz-Date"]);
    }
}
