using System.Net;

namespace LabPortal.Tests.Sandbox.Elbv2;

public sealed class Elbv2ControlPlaneTests
{
    [Fact]
    public async Task TargetGroup_round_trips_with_AWS_defaults_when_created_described_modified_and_deleted()
    {
        await using var lab = await Elbv2TestLab.StartAsync();
        var arn = await lab.CreateTargetGroupAsync("lab-tg", ("Tags.member.1.Key", "lab"), ("Tags.member.1.Value", "1"));

        Assert.Matches(@"^arn:aws:elasticloadbalancing:ap-northeast-2:\d{12}:targetgroup/lab-tg/[0-9a-f]{16}$", arn);
        var described = (await lab.ElbAsync("DescribeTargetGroups", ("Names.member.1", "lab-tg"))).EnsureOk();
        Assert.Equal("30", described.Value("HealthCheckIntervalSeconds"));
        Assert.Equal("5", described.Value("HealthCheckTimeoutSeconds"));
        Assert.Equal("5", described.Value("HealthyThresholdCount"));
        Assert.Equal("2", described.Value("UnhealthyThresholdCount"));
        Assert.Equal("traffic-port", described.Value("HealthCheckPort"));
        Assert.Equal("/", described.Value("HealthCheckPath"));
        Assert.Equal("200", described.Value("HttpCode"));
        Assert.Equal("instance", described.Value("TargetType"));

        var attributes = (await lab.ElbAsync("DescribeTargetGroupAttributes", ("TargetGroupArn", arn))).EnsureOk();
        Assert.Equal("300", AttributeValue(attributes, "deregistration_delay.timeout_seconds"));
        Assert.Equal("round_robin", AttributeValue(attributes, "load_balancing.algorithm.type"));
        Assert.Equal("false", AttributeValue(attributes, "stickiness.enabled"));

        (await lab.ElbAsync("ModifyTargetGroupAttributes", ("TargetGroupArn", arn), ("Attributes.member.1.Key", "load_balancing.algorithm.type"), ("Attributes.member.1.Value", "least_outstanding_requests"))).EnsureOk();
        Assert.Equal("least_outstanding_requests", AttributeValue((await lab.ElbAsync("DescribeTargetGroupAttributes", ("TargetGroupArn", arn))).EnsureOk(), "load_balancing.algorithm.type"));
        var badAttribute = await lab.ElbAsync("ModifyTargetGroupAttributes", ("TargetGroupArn", arn), ("Attributes.member.1.Key", "deregistration_delay.timeout_seconds"), ("Attributes.member.1.Value", "9999"));
        Assert.Equal("ValidationError", badAttribute.ErrorCode);

        (await lab.ElbAsync("ModifyTargetGroup", ("TargetGroupArn", arn), ("HealthCheckPath", "/health"), ("Matcher.HttpCode", "200-299"))).EnsureOk();
        var modified = (await lab.ElbAsync("DescribeTargetGroups", ("TargetGroupArns.member.1", arn))).EnsureOk();
        Assert.Equal("/health", modified.Value("HealthCheckPath"));
        Assert.Equal("200-299", modified.Value("HttpCode"));

        var tags = (await lab.ElbAsync("DescribeTags", ("ResourceArns.member.1", arn))).EnsureOk();
        Assert.Equal("lab", tags.Value("Key"));

        (await lab.ElbAsync("DeleteTargetGroup", ("TargetGroupArn", arn))).EnsureOk();
        var gone = await lab.ElbAsync("DescribeTargetGroups", ("TargetGroupArns.member.1", arn));
        Assert.Equal(HttpStatusCode.BadRequest, gone.Status);
        Assert.Equal("TargetGroupNotFound", gone.ErrorCode);
    }

    [Theory]
    [InlineData("this-name-is-way-too-long-for-a-tg-1")]
    [InlineData("bad_name")]
    [InlineData("-leading")]
    [InlineData("trailing-")]
    public async Task CreateTargetGroup_returns_ValidationError_when_name_breaks_AWS_rules(string name)
    {
        await using var lab = await Elbv2TestLab.StartAsync();
        var vpc = await lab.DefaultVpcAsync();

        var call = await lab.ElbAsync("CreateTargetGroup", ("Name", name), ("Protocol", "HTTP"), ("Port", "80"), ("VpcId", vpc));

        Assert.Equal(HttpStatusCode.BadRequest, call.Status);
        Assert.Equal("ValidationError", call.ErrorCode);
        Assert.Equal("Sender", call.Value("Type"));
    }

    [Fact]
    public async Task CreateTargetGroup_is_idempotent_when_settings_match_and_fails_when_they_differ()
    {
        await using var lab = await Elbv2TestLab.StartAsync();
        var first = await lab.CreateTargetGroupAsync("same");

        var again = await lab.CreateTargetGroupAsync("same");
        var vpc = await lab.DefaultVpcAsync();
        var different = await lab.ElbAsync("CreateTargetGroup", ("Name", "same"), ("Protocol", "HTTP"), ("Port", "8080"), ("VpcId", vpc));
        var badTimeout = await lab.ElbAsync("CreateTargetGroup", ("Name", "other"), ("Protocol", "HTTP"), ("Port", "80"), ("VpcId", vpc), ("HealthCheckIntervalSeconds", "5"), ("HealthCheckTimeoutSeconds", "5"));

        Assert.Equal(first, again);
        Assert.Equal("DuplicateTargetGroupName", different.ErrorCode);
        Assert.Equal("ValidationError", badTimeout.ErrorCode);
    }

    [Fact]
    public async Task LoadBalancer_is_provisioning_then_active_with_AWS_shaped_names_when_created_in_two_zones()
    {
        await using var lab = await Elbv2TestLab.StartAsync();
        var (a, c) = await lab.SubnetsAsync();

        var created = (await lab.ElbAsync("CreateLoadBalancer", ("Name", "lab-alb"), ("Subnets.member.1", a), ("Subnets.member.2", c))).EnsureOk();
        var arn = created.Value("LoadBalancerArn");
        var again = (await lab.ElbAsync("CreateLoadBalancer", ("Name", "lab-alb"), ("Subnets.member.1", c), ("Subnets.member.2", a))).EnsureOk();

        Assert.Equal("provisioning", created.Value("Code"));
        Assert.Matches(@"^arn:aws:elasticloadbalancing:ap-northeast-2:\d{12}:loadbalancer/app/lab-alb/[0-9a-f]{16}$", arn);
        Assert.Matches(@"^lab-alb-\d+\.ap-northeast-2\.elb\.localhost$", created.Value("DNSName"));
        Assert.Equal("ZWKZPGTI48KDX", created.Value("CanonicalHostedZoneId"));
        Assert.Equal(["ap-northeast-2a", "ap-northeast-2c"], created.Values("ZoneName"));
        Assert.Equal(arn, again.Value("LoadBalancerArn"));
        await TestSandbox.EventuallyAsync(
            async () => (await lab.ElbAsync("DescribeLoadBalancers", ("Names.member.1", "lab-alb"))).EnsureOk().Value("Code") == "active",
            "the load balancer to become active");
        var attributes = (await lab.ElbAsync("DescribeLoadBalancerAttributes", ("LoadBalancerArn", arn))).EnsureOk();
        Assert.Equal("60", AttributeValue(attributes, "idle_timeout.timeout_seconds"));
    }

    [Fact]
    public async Task CreateLoadBalancer_returns_AWS_errors_when_subnets_names_or_settings_are_wrong()
    {
        await using var lab = await Elbv2TestLab.StartAsync();
        var (a, c) = await lab.SubnetsAsync();
        (await lab.ElbAsync("CreateLoadBalancer", ("Name", "taken"), ("Subnets.member.1", a), ("Subnets.member.2", c))).EnsureOk();

        var oneSubnet = await lab.ElbAsync("CreateLoadBalancer", ("Name", "one"), ("Subnets.member.1", a));
        var internalPrefix = await lab.ElbAsync("CreateLoadBalancer", ("Name", "internal-lb"), ("Subnets.member.1", a), ("Subnets.member.2", c));
        var unknownSubnet = await lab.ElbAsync("CreateLoadBalancer", ("Name", "x"), ("Subnets.member.1", a), ("Subnets.member.2", "subnet-0123456789abcdef0"));
        var duplicate = await lab.ElbAsync("CreateLoadBalancer", ("Name", "taken"), ("Subnets.member.1", a), ("Subnets.member.2", c), ("Scheme", "internal"));
        var unknownAction = await lab.ElbAsync("DescribeNothing");
        var classic = await lab.Client.CallAsync("elasticloadbalancing", "DescribeLoadBalancers", "2012-06-01", []);

        Assert.Equal("ValidationError", oneSubnet.ErrorCode);
        Assert.Contains("At least two subnets in two different Availability Zones", oneSubnet.Body, StringComparison.Ordinal);
        Assert.Equal("ValidationError", internalPrefix.ErrorCode);
        Assert.Equal("SubnetNotFound", unknownSubnet.ErrorCode);
        Assert.Equal("DuplicateLoadBalancerName", duplicate.ErrorCode);
        Assert.Equal("InvalidAction", unknownAction.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknownAction.Status);
        Assert.Equal("InvalidAction", classic.ErrorCode);
    }

    [Fact]
    public async Task DeleteTargetGroup_returns_ResourceInUse_when_a_listener_forwards_to_it()
    {
        await using var lab = await Elbv2TestLab.StartAsync();
        var tg = await lab.CreateTargetGroupAsync("used");
        var (lb, _) = await lab.CreateLoadBalancerAsync("lb");
        var listener = await lab.CreateListenerAsync(lb, tg);

        var inUse = await lab.ElbAsync("DeleteTargetGroup", ("TargetGroupArn", tg));
        var described = (await lab.ElbAsync("DescribeTargetGroups", ("LoadBalancerArn", lb))).EnsureOk();
        (await lab.ElbAsync("DeleteListener", ("ListenerArn", listener))).EnsureOk();
        var afterListenerDeleted = await lab.ElbAsync("DeleteTargetGroup", ("TargetGroupArn", tg));

        Assert.Equal("ResourceInUse", inUse.ErrorCode);
        Assert.Contains("is currently in use by a listener or a rule", inUse.Body, StringComparison.Ordinal);
        Assert.Equal(lb, described.Value("LoadBalancerArns"));
        afterListenerDeleted.EnsureOk();
    }

    [Fact]
    public async Task RegisterTargets_returns_InvalidTarget_when_instance_is_stopped()
    {
        await using var lab = await Elbv2TestLab.StartAsync();
        var tg = await lab.CreateTargetGroupAsync("tg");
        var ids = await lab.RunWebInstancesAsync(1);
        (await lab.Client.Ec2Async("StopInstances", ("InstanceId.1", ids[0]))).EnsureOk();
        await TestSandbox.WaitForStateAsync(lab.Client, ids[0], "stopped");

        var call = await lab.ElbAsync("RegisterTargets", ("TargetGroupArn", tg), ("Targets.member.1.Id", ids[0]));

        Assert.Equal(HttpStatusCode.BadRequest, call.Status);
        Assert.Equal("InvalidTarget", call.ErrorCode);
        Assert.Contains("are not in a running state", call.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DescribeTargetHealth_reports_NotInUse_then_NotRegistered_when_no_load_balancer_or_registration()
    {
        await using var lab = await Elbv2TestLab.StartAsync();
        var tg = await lab.CreateTargetGroupAsync("idle");
        var ids = await lab.RunWebInstancesAsync(2);
        await lab.RegisterAsync(tg, ids[0]);

        var health = await lab.HealthAsync(tg);
        var explicitCall = (await lab.ElbAsync("DescribeTargetHealth", ("TargetGroupArn", tg), ("Targets.member.1.Id", ids[1]))).EnsureOk();

        Assert.Equal(("unused", "Target.NotInUse"), (health.Single().State, health.Single().Reason));
        Assert.Equal("unused", explicitCall.Value("State"));
        Assert.Equal("Target.NotRegistered", explicitCall.Value("Reason"));
    }

    [Fact]
    public async Task TargetGroups_are_invisible_when_another_account_asks()
    {
        await using var lab = await Elbv2TestLab.StartAsync();
        var tg = await lab.CreateTargetGroupAsync("private");
        var other = await lab.Server.CreateAccountAsync("learner-b");
        var otherClient = new SandboxApiClient(lab.Server.Endpoints.Api, other);

        var list = (await otherClient.CallAsync("elasticloadbalancing", "DescribeTargetGroups", "2015-12-01", [])).EnsureOk();
        var direct = await otherClient.CallAsync("elasticloadbalancing", "DescribeTargetHealth", "2015-12-01", [("TargetGroupArn", tg)]);

        Assert.Empty(list.Values("TargetGroupArn"));
        Assert.Equal("TargetGroupNotFound", direct.ErrorCode);
    }

    [Fact]
    public async Task Rules_round_trip_with_default_rule_and_PriorityInUse_when_priority_is_taken()
    {
        await using var lab = await Elbv2TestLab.StartAsync();
        var web = await lab.CreateTargetGroupAsync("web");
        var images = await lab.CreateTargetGroupAsync("images");
        var (lb, _) = await lab.CreateLoadBalancerAsync("rules");
        var listener = await lab.CreateListenerAsync(lb, web);

        var rule = (await lab.ElbAsync("CreateRule", ("ListenerArn", listener), ("Priority", "10"), ("Conditions.member.1.Field", "path-pattern"), ("Conditions.member.1.Values.member.1", "/images/*"), ("Actions.member.1.Type", "forward"), ("Actions.member.1.TargetGroupArn", images))).EnsureOk().Value("RuleArn");
        var taken = await lab.ElbAsync("CreateRule", ("ListenerArn", listener), ("Priority", "10"), ("Conditions.member.1.Field", "host-header"), ("Conditions.member.1.HostHeaderConfig.Values.member.1", "a.example.com"), ("Actions.member.1.Type", "forward"), ("Actions.member.1.TargetGroupArn", images));
        var outOfRange = await lab.ElbAsync("CreateRule", ("ListenerArn", listener), ("Priority", "50001"), ("Conditions.member.1.Field", "path-pattern"), ("Conditions.member.1.Values.member.1", "/x"), ("Actions.member.1.Type", "forward"), ("Actions.member.1.TargetGroupArn", images));
        var rules = (await lab.ElbAsync("DescribeRules", ("ListenerArn", listener))).EnsureOk();
        var defaultRule = rules.Values("RuleArn").Last();
        var deleteDefault = await lab.ElbAsync("DeleteRule", ("RuleArn", defaultRule));
        (await lab.ElbAsync("ModifyRule", ("RuleArn", rule), ("Conditions.member.1.Field", "path-pattern"), ("Conditions.member.1.Values.member.1", "/img/*"))).EnsureOk();
        var modified = (await lab.ElbAsync("DescribeRules", ("RuleArns.member.1", rule))).EnsureOk();
        (await lab.ElbAsync("DeleteRule", ("RuleArn", rule))).EnsureOk();
        var missing = await lab.ElbAsync("DeleteRule", ("RuleArn", rule));

        Assert.Equal("PriorityInUse", taken.ErrorCode);
        Assert.Equal("ValidationError", outOfRange.ErrorCode);
        Assert.Equal(["10", "default"], rules.Values("Priority"));
        Assert.Equal(["false", "true"], rules.Values("IsDefault"));
        Assert.Equal("OperationNotPermitted", deleteDefault.ErrorCode);
        Assert.Equal("/img/*", modified.Values("member").First(v => v.StartsWith('/')));
        Assert.Equal("RuleNotFound", missing.ErrorCode);
    }

    [Fact]
    public async Task DeleteSecurityGroup_returns_DependencyViolation_when_a_load_balancer_uses_it()
    {
        await using var lab = await Elbv2TestLab.StartAsync();
        var group = (await lab.Client.Ec2Async("CreateSecurityGroup", ("GroupName", "alb"), ("GroupDescription", "alb"))).EnsureOk().Value("groupId");
        var (a, c) = await lab.SubnetsAsync();
        var lb = (await lab.ElbAsync("CreateLoadBalancer", ("Name", "sg-lb"), ("Subnets.member.1", a), ("Subnets.member.2", c), ("SecurityGroups.member.1", group))).EnsureOk().Value("LoadBalancerArn");

        var refused = await lab.Client.Ec2Async("DeleteSecurityGroup", ("GroupId", group));
        (await lab.ElbAsync("DeleteLoadBalancer", ("LoadBalancerArn", lb))).EnsureOk();
        var allowed = await lab.Client.Ec2Async("DeleteSecurityGroup", ("GroupId", group));

        Assert.Equal("DependencyViolation", refused.ErrorCode);
        allowed.EnsureOk();
    }

    [Fact]
    public async Task DeleteAccount_removes_ELBv2_resources_and_routes_when_account_is_deleted()
    {
        await using var lab = await Elbv2TestLab.StartAsync();
        var tg = await lab.CreateTargetGroupAsync("gone");
        var (lb, dns) = await lab.CreateLoadBalancerAsync("gone");
        await lab.CreateListenerAsync(lb, tg);
        var before = await lab.Server.Accounts.ListResourcesAsync(lab.Account.AccountId);

        Assert.True(await lab.Server.Accounts.DeleteAccountAsync(lab.Account.AccountId));
        var page = await lab.GetAsync(dns);

        Assert.Contains(before, r => r.Service == "elbv2" && r.ResourceType == "targetgroup" && r.ResourceId == tg);
        Assert.Contains(before, r => r.Service == "elbv2" && r.ResourceType == "loadbalancer" && r.ResourceId == lb);
        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Equal(0, await lab.Server.Accounts.CountResourcesAsync(lab.Account.AccountId));
    }

    private static string? AttributeValue(ApiCall call, string key) =>
        call.Xml.Descendants().Where(e => e.Name.LocalName == "member")
            .Where(m => m.Elements().Any(c => c.Name.LocalName == "Key" && c.Value == key))
            .Select(m => m.Elements().First(c => c.Name.LocalName == "Value").Value)
            .FirstOrDefault();
}
