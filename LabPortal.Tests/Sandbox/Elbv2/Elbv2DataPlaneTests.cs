using System.Net;

namespace LabPortal.Tests.Sandbox.Elbv2;

public sealed class Elbv2DataPlaneTests
{
    [Fact]
    public async Task LoadBalancer_splits_round_robin_and_adds_forwarding_headers_when_both_targets_are_healthy()
    {
        await using var lab = await Elbv2TestLab.StartAsync();
        var ids = await lab.RunWebInstancesAsync(2);
        var tg = await lab.CreateTargetGroupAsync("web");
        await lab.RegisterAsync(tg, [.. ids]);
        var (lb, dns) = await lab.CreateLoadBalancerAsync("web");
        await lab.CreateListenerAsync(lb, tg);
        await lab.WaitForHealthAsync(tg, ids[0], "healthy");
        await lab.WaitForHealthAsync(tg, ids[1], "healthy");

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < 20; i++)
        {
            var (status, body, _) = await lab.GetAsync(dns);
            Assert.Equal(HttpStatusCode.OK, status);
            counts[body] = counts.GetValueOrDefault(body) + 1;
        }

        Assert.Equal(10, counts[$"hello from {ids[0]}"]);
        Assert.Equal(10, counts[$"hello from {ids[1]}"]);
        var headers = lab.Machines.For(ids[0])!.RequestHeaders.Last();
        Assert.Equal("127.0.0.1", headers["X-Forwarded-For"]);
        Assert.Equal("http", headers["X-Forwarded-Proto"]);
        Assert.Equal("80", headers["X-Forwarded-Port"]);
        Assert.Matches("^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$", headers["X-Amzn-Trace-Id"]);
    }

    [Fact]
    public async Task Target_turns_unhealthy_with_ResponseCodeMismatch_and_traffic_avoids_it_when_it_answers_404()
    {
        await using var lab = await Elbv2TestLab.StartAsync();
        var ids = await lab.RunWebInstancesAsync(2);
        var tg = await lab.CreateTargetGroupAsync("codes");
        await lab.RegisterAsync(tg, [.. ids]);
        var (lb, dns) = await lab.CreateLoadBalancerAsync("codes");
        await lab.CreateListenerAsync(lb, tg);
        await lab.WaitForHealthAsync(tg, ids[0], "healthy");

        lab.Machines.For(ids[0])!.StatusCode = 404;
        await lab.WaitForHealthAsync(tg, ids[0], "unhealthy");
        await lab.WaitForHealthAsync(tg, ids[1], "healthy");
        var health = (await lab.HealthAsync(tg)).Single(h => h.Id == ids[0]);
        var bodies = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            bodies.Add((await lab.GetAsync(dns)).Body);
        }

        Assert.Equal("Target.ResponseCodeMismatch", health.Reason);
        Assert.Equal("Health checks failed with these codes: [404]", health.Description);
        Assert.All(bodies, b => Assert.Equal($"hello from {ids[1]}", b));
    }

    [Fact]
    public async Task Target_turns_unhealthy_with_Timeout_when_its_web_server_hangs()
    {
        await using var lab = await Elbv2TestLab.StartAsync();
        var ids = await lab.RunWebInstancesAsync(1);
        var tg = await lab.CreateTargetGroupAsync("slow");
        await lab.RegisterAsync(tg, ids[0]);
        var (lb, _) = await lab.CreateLoadBalancerAsync("slow");
        await lab.CreateListenerAsync(lb, tg);
        await lab.WaitForHealthAsync(tg, ids[0], "healthy");

        lab.Machines.For(ids[0])!.Hang = true;
        await lab.WaitForHealthAsync(tg, ids[0], "unhealthy");

        Assert.Equal("Target.Timeout", (await lab.HealthAsync(tg)).Single().Reason);
    }

    [Fact]
    public async Task Deregistered_target_drains_then_disappears_when_the_scaled_delay_elapses()
    {
        await using var lab = await Elbv2TestLab.StartAsync();
        var ids = await lab.RunWebInstancesAsync(2);
        var tg = await lab.CreateTargetGroupAsync("drain");

        // 300 s at time scale 1000 is 300 ms: long enough to observe, short enough to wait for.
        (await lab.ElbAsync("ModifyTargetGroupAttributes", ("TargetGroupArn", tg), ("Attributes.member.1.Key", "deregistration_delay.timeout_seconds"), ("Attributes.member.1.Value", "1000"))).EnsureOk();
        await lab.RegisterAsync(tg, [.. ids]);
        var (lb, dns) = await lab.CreateLoadBalancerAsync("drain");
        await lab.CreateListenerAsync(lb, tg);
        await lab.WaitForHealthAsync(tg, ids[0], "healthy");
        await lab.WaitForHealthAsync(tg, ids[1], "healthy");

        (await lab.ElbAsync("DeregisterTargets", ("TargetGroupArn", tg), ("Targets.member.1.Id", ids[0]))).EnsureOk();
        var draining = (await lab.HealthAsync(tg)).Single(h => h.Id == ids[0]);
        var bodies = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            bodies.Add((await lab.GetAsync(dns)).Body);
        }

        Assert.Equal(("draining", "Target.DeregistrationInProgress"), (draining.State, draining.Reason));
        Assert.All(bodies, b => Assert.Equal($"hello from {ids[1]}", b));
        await TestSandbox.EventuallyAsync(async () => (await lab.HealthAsync(tg)).All(h => h.Id != ids[0]), "the drained target to disappear");
    }

    [Fact]
    public async Task Path_rule_sends_images_to_second_target_group_when_path_matches()
    {
        await using var lab = await Elbv2TestLab.StartAsync();
        var ids = await lab.RunWebInstancesAsync(2);
        var web = await lab.CreateTargetGroupAsync("web");
        var images = await lab.CreateTargetGroupAsync("images");
        await lab.RegisterAsync(web, ids[0]);
        await lab.RegisterAsync(images, ids[1]);
        var (lb, dns) = await lab.CreateLoadBalancerAsync("paths");
        var listener = await lab.CreateListenerAsync(lb, web);
        (await lab.ElbAsync("CreateRule", ("ListenerArn", listener), ("Priority", "5"), ("Conditions.member.1.Field", "path-pattern"), ("Conditions.member.1.Values.member.1", "/images/*"), ("Actions.member.1.Type", "forward"), ("Actions.member.1.TargetGroupArn", images))).EnsureOk();
        (await lab.ElbAsync("CreateRule", ("ListenerArn", listener), ("Priority", "6"), ("Conditions.member.1.Field", "path-pattern"), ("Conditions.member.1.Values.member.1", "/fixed?"), ("Actions.member.1.Type", "fixed-response"), ("Actions.member.1.FixedResponseConfig.StatusCode", "418"), ("Actions.member.1.FixedResponseConfig.ContentType", "text/plain"), ("Actions.member.1.FixedResponseConfig.MessageBody", "teapot"))).EnsureOk();
        await lab.WaitForHealthAsync(web, ids[0], "healthy");
        await lab.WaitForHealthAsync(images, ids[1], "healthy");

        var image = await lab.GetAsync(dns, "/images/cat.png");
        var root = await lab.GetAsync(dns, "/index.html");
        var fixedAnswer = await lab.GetAsync(dns, "/fixed1");

        Assert.Equal($"hello from {ids[1]}", image.Body);
        Assert.Equal($"hello from {ids[0]}", root.Body);
        Assert.Equal((HttpStatusCode)418, fixedAnswer.Status);
        Assert.Equal("teapot", fixedAnswer.Body);
        Assert.Equal("awselb/2.0", fixedAnswer.Response.Headers.Server.ToString());
    }

    [Fact]
    public async Task LoadBalancer_answers_503_when_no_target_is_registered()
    {
        await using var lab = await Elbv2TestLab.StartAsync();
        var tg = await lab.CreateTargetGroupAsync("empty");
        var (lb, dns) = await lab.CreateLoadBalancerAsync("empty");
        await lab.CreateListenerAsync(lb, tg);

        var (status, body, response) = await lab.GetAsync(dns);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("503 Service Temporarily Unavailable", body, StringComparison.Ordinal);
        Assert.Equal("awselb/2.0", response.Headers.Server.ToString());
    }

    [Fact]
    public async Task Restart_brings_back_target_group_load_balancer_listener_and_routing()
    {
        var directory = TestSandbox.NewDirectory();
        string tg, dns, instance;
        LabPortal.Sandbox.Accounts.SandboxAccount account;
        await using (var lab = await Elbv2TestLab.StartAsync(options: TestSandbox.Options(directory)))
        {
            account = lab.Account;
            instance = (await lab.RunWebInstancesAsync(1))[0];
            tg = await lab.CreateTargetGroupAsync("kept");
            await lab.RegisterAsync(tg, instance);
            string lb;
            (lb, dns) = await lab.CreateLoadBalancerAsync("kept");
            await lab.CreateListenerAsync(lb, tg);
            await lab.WaitForHealthAsync(tg, instance, "healthy");
            Assert.Equal(HttpStatusCode.OK, (await lab.GetAsync(dns)).Status);
        }

        var machines = new FakeMachineFactory();
        await using var server = await TestSandbox.StartAsync(machines, TestSandbox.Options(directory));
        var client = new SandboxApiClient(server.Endpoints.Api, account);
        var listeners = (await client.CallAsync("elasticloadbalancing", "DescribeLoadBalancers", "2015-12-01", [("Names.member.1", "kept")])).EnsureOk();
        Assert.Equal(dns, listeners.Value("DNSName"));
        await TestSandbox.EventuallyAsync(
            async () =>
            {
                var page = await SandboxPersistenceTests.GetPageAsync(server, dns);
                return page.Status == HttpStatusCode.OK && page.Body == $"hello from {instance}";
            },
            "routing through the restored load balancer");
        var health = (await client.CallAsync("elasticloadbalancing", "DescribeTargetHealth", "2015-12-01", [("TargetGroupArn", tg)])).EnsureOk();
        Assert.Equal(instance, health.Value("Id"));
    }
}
