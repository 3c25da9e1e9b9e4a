using System.Net;
using LabPortal.Sandbox.Services.Elbv2;
using LabPortal.Sandbox.State;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.Sandbox.Elbv2;

public sealed class Elbv2TargetLifecycleTests
{
    [Fact]
    public async Task TargetGroupMembership_registers_reports_health_and_drains_when_called_inside_a_scope()
    {
        await using var lab = await Elbv2TestLab.StartAsync();
        var ids = await lab.RunWebInstancesAsync(1);
        var tg = await lab.CreateTargetGroupAsync("asg-tg");
        var (lb, _) = await lab.CreateLoadBalancerAsync("asg-lb");
        await lab.CreateListenerAsync(lb, tg);
        var membership = lab.Server.Services.GetRequiredService<ITargetGroupMembership>();
        var state = lab.Server.Services.GetRequiredService<SandboxState>();

        await using (var scope = await state.EnterAsync(lab.Account.AccountId))
        {
            Assert.True(membership.Exists(scope, "ap-northeast-2", tg));
            Assert.False(membership.Exists(scope, "ap-northeast-2", tg + "0"));
            Assert.Null(membership.Health(scope, "ap-northeast-2", tg, ids[0]));
            membership.Register(scope, "ap-northeast-2", tg, ids[0]);
            membership.Register(scope, "ap-northeast-2", tg, ids[0]);
        }

        await TestSandbox.EventuallyAsync(
            async () =>
            {
                await using var scope = await state.EnterAsync(lab.Account.AccountId);
                return membership.Health(scope, "ap-northeast-2", tg, ids[0]) == new TargetHealthSnapshot("healthy", null);
            },
            "the registered instance to be healthy");
        Assert.Single(await lab.HealthAsync(tg));

        await using (var scope = await state.EnterAsync(lab.Account.AccountId))
        {
            membership.Deregister(scope, "ap-northeast-2", tg, ids[0]);
            membership.Deregister(scope, "ap-northeast-2", tg, ids[0]);
            Assert.Equal(new TargetHealthSnapshot("draining", "Target.DeregistrationInProgress"), membership.Health(scope, "ap-northeast-2", tg, ids[0]));
        }
    }

    [Fact]
    public async Task Target_is_unused_with_InvalidState_when_its_instance_is_stopped_and_healthy_again_when_started()
    {
        await using var lab = await Elbv2TestLab.StartAsync();
        var ids = await lab.RunWebInstancesAsync(1);
        var tg = await lab.CreateTargetGroupAsync("stop");
        await lab.RegisterAsync(tg, ids[0]);
        var (lb, _) = await lab.CreateLoadBalancerAsync("stop");
        await lab.CreateListenerAsync(lb, tg);
        await lab.WaitForHealthAsync(tg, ids[0], "healthy");

        (await lab.Client.Ec2Async("StopInstances", ("InstanceId.1", ids[0]))).EnsureOk();
        await TestSandbox.WaitForStateAsync(lab.Client, ids[0], "stopped");
        var stopped = (await lab.HealthAsync(tg)).Single();
        (await lab.Client.Ec2Async("StartInstances", ("InstanceId.1", ids[0]))).EnsureOk();

        Assert.Equal(("unused", "Target.InvalidState", "Target is in the stopped state"), (stopped.State, stopped.Reason, stopped.Description));
        await lab.WaitForHealthAsync(tg, ids[0], "healthy");
    }

    [Fact]
    public async Task Terminated_instance_is_deregistered_when_it_terminates()
    {
        await using var lab = await Elbv2TestLab.StartAsync();
        var ids = await lab.RunWebInstancesAsync(1);
        var tg = await lab.CreateTargetGroupAsync("term");
        await lab.RegisterAsync(tg, ids[0]);

        (await lab.Client.Ec2Async("TerminateInstances", ("InstanceId.1", ids[0]))).EnsureOk();

        await TestSandbox.EventuallyAsync(async () => (await lab.HealthAsync(tg)).Count == 0, "the terminated target to leave the group");
    }

    [Fact]
    public async Task Registered_targets_show_RegistrationInProgress_and_data_plane_answers_503_when_load_balancer_is_provisioning()
    {
        // Time scale 10: instances boot in 3 s while provisioning lasts 12 s, far longer than the assertions take.
        var options = TestSandbox.Options();
        options.TimeScale = 10;
        await using var lab = await Elbv2TestLab.StartAsync(options: options);
        var ids = await lab.RunWebInstancesAsync(1);
        var tg = await lab.CreateTargetGroupAsync("slow-lb");
        await lab.RegisterAsync(tg, ids[0]);
        var (a, c) = await lab.SubnetsAsync();
        var created = (await lab.ElbAsync("CreateLoadBalancer", ("Name", "slow-lb"), ("Subnets.member.1", a), ("Subnets.member.2", c))).EnsureOk();
        await lab.CreateListenerAsync(created.Value("LoadBalancerArn"), tg);

        var health = (await lab.HealthAsync(tg)).Single();
        var page = await lab.GetAsync(created.Value("DNSName"));

        Assert.Equal(("initial", "Elb.RegistrationInProgress"), (health.State, health.Reason));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, page.Status);
    }

    [Fact]
    public async Task Weighted_forward_config_sends_traffic_by_weight_and_zero_weight_gets_none()
    {
        await using var lab = await Elbv2TestLab.StartAsync();
        var ids = await lab.RunWebInstancesAsync(2);
        var blue = await lab.CreateTargetGroupAsync("blue");
        var green = await lab.CreateTargetGroupAsync("green");
        await lab.RegisterAsync(blue, ids[0]);
        await lab.RegisterAsync(green, ids[1]);
        var (lb, dns) = await lab.CreateLoadBalancerAsync("bluegreen");
        (await lab.ElbAsync(
            "CreateListener",
            ("LoadBalancerArn", lb),
            ("Protocol", "HTTP"),
            ("Port", "80"),
            ("DefaultActions.member.1.Type", "forward"),
            ("DefaultActions.member.1.ForwardConfig.TargetGroups.member.1.TargetGroupArn", blue),
            ("DefaultActions.member.1.ForwardConfig.TargetGroups.member.1.Weight", "0"),
            ("DefaultActions.member.1.ForwardConfig.TargetGroups.member.2.TargetGroupArn", green),
            ("DefaultActions.member.1.ForwardConfig.TargetGroups.member.2.Weight", "10"))).EnsureOk();
        await lab.WaitForHealthAsync(blue, ids[0], "healthy");
        await lab.WaitForHealthAsync(green, ids[1], "healthy");

        var bodies = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            bodies.Add((await lab.GetAsync(dns)).Body);
        }

        Assert.All(bodies, b => Assert.Equal($"hello from {ids[1]}", b));
    }

    [Fact]
    public async Task Least_outstanding_requests_avoids_a_busy_target_when_the_attribute_asks_for_it()
    {
        await using var lab = await Elbv2TestLab.StartAsync();
        var ids = await lab.RunWebInstancesAsync(2);
        var tg = await lab.CreateTargetGroupAsync("lor");
        (await lab.ElbAsync("ModifyTargetGroupAttributes", ("TargetGroupArn", tg), ("Attributes.member.1.Key", "load_balancing.algorithm.type"), ("Attributes.member.1.Value", "least_outstanding_requests"))).EnsureOk();
        await lab.RegisterAsync(tg, [.. ids]);
        var (lb, dns) = await lab.CreateLoadBalancerAsync("lor");
        await lab.CreateListenerAsync(lb, tg);
        await lab.WaitForHealthAsync(tg, ids[0], "healthy");
        await lab.WaitForHealthAsync(tg, ids[1], "healthy");

        // One request hangs on the first instance (health checks keep passing until the hang is noticed);
        // while it is outstanding, new requests go to the other instance.
        var busy = lab.Machines.For(ids[0])!;
        busy.Hang = true;
        var hanging = new List<Task<(HttpStatusCode, string, HttpResponseMessage)>>();
        await TestSandbox.EventuallyAsync(
            () =>
            {
                if (busy.RequestHeaders.IsEmpty)
                {
                    hanging.Add(lab.GetAsync(dns));
                }

                return Task.FromResult(!busy.RequestHeaders.IsEmpty);
            },
            "a request to reach the busy instance");
        var bodies = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            bodies.Add((await lab.GetAsync(dns)).Body);
        }

        Assert.All(bodies, b => Assert.Equal($"hello from {ids[1]}", b));
        var results = await Task.WhenAll(hanging);
        Assert.Contains(results, r => r.Item1 == HttpStatusCode.GatewayTimeout && r.Item2.Contains("504 Gateway Time-out", StringComparison.Ordinal));
    }
}
