using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LabPortal.Tests.Sandbox.Elbv2;

public sealed class Elbv2RoutingEdgeTests
{
    [Fact]
    public async Task LoadBalancer_answers_ALB_502_when_the_target_answers_garbage()
    {
        await using var lab = await Elbv2TestLab.StartAsync();
        var ids = await lab.RunWebInstancesAsync(1);
        var tg = await lab.CreateTargetGroupAsync("garbage");
        await lab.RegisterAsync(tg, ids[0]);
        var (lb, dns) = await lab.CreateLoadBalancerAsync("garbage");
        await lab.CreateListenerAsync(lb, tg);
        await lab.WaitForHealthAsync(tg, ids[0], "healthy");
        using var garbage = new TcpListener(IPAddress.Loopback, 0);
        garbage.Start();
        using var stop = new CancellationTokenSource();
        var server = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var client = await garbage.AcceptTcpClientAsync(stop.Token);
                await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes("this is not HTTP\r\n\r\n"), stop.Token);
            }
        });

        lab.Machines.For(ids[0])!.EndpointOverride = new Uri($"http://127.0.0.1:{((IPEndPoint)garbage.LocalEndpoint).Port}/");
        var (status, body, response) = await lab.GetAsync(dns);
        await stop.CancelAsync();

        Assert.Equal(HttpStatusCode.BadGateway, status);
        Assert.Contains("<title>502 Bad Gateway</title>", body, StringComparison.Ordinal);
        Assert.Equal("awselb/2.0", response.Headers.Server.ToString());
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Target_is_unhealthy_with_FailedHealthChecks_when_health_check_port_has_no_listener()
    {
        await using var lab = await Elbv2TestLab.StartAsync();
        var ids = await lab.RunWebInstancesAsync(1);
        var tg = await lab.CreateTargetGroupAsync("port", ("HealthCheckPort", "8080"));
        await lab.RegisterAsync(tg, ids[0]);
        var (lb, _) = await lab.CreateLoadBalancerAsync("port");
        await lab.CreateListenerAsync(lb, tg);

        await lab.WaitForHealthAsync(tg, ids[0], "unhealthy");
        var described = (await lab.ElbAsync("DescribeTargetHealth", ("TargetGroupArn", tg))).EnsureOk();

        Assert.Equal("Target.FailedHealthChecks", described.Value("Reason"));
        Assert.Equal("8080", described.Value("HealthCheckPort"));
    }

    [Fact]
    public async Task Host_header_rule_matches_case_insensitively_with_wildcards_when_host_fits()
    {
        await using var lab = await Elbv2TestLab.StartAsync();
        var ids = await lab.RunWebInstancesAsync(2);
        var web = await lab.CreateTargetGroupAsync("web");
        var api = await lab.CreateTargetGroupAsync("api");
        await lab.RegisterAsync(web, ids[0]);
        await lab.RegisterAsync(api, ids[1]);
        var (lb, dns) = await lab.CreateLoadBalancerAsync("hosts");
        var listener = await lab.CreateListenerAsync(lb, web);
        (await lab.ElbAsync("CreateRule", ("ListenerArn", listener), ("Priority", "1"), ("Conditions.member.1.Field", "host-header"), ("Conditions.member.1.HostHeaderConfig.Values.member.1", "other.example.com"), ("Actions.member.1.Type", "fixed-response"), ("Actions.member.1.FixedResponseConfig.StatusCode", "404"))).EnsureOk();
        (await lab.ElbAsync("CreateRule", ("ListenerArn", listener), ("Priority", "2"), ("Conditions.member.1.Field", "host-header"), ("Conditions.member.1.Values.member.1", "HOSTS-*.AP-NORTHEAST-2.ELB.LOCALHOST"), ("Conditions.member.2.Field", "path-pattern"), ("Conditions.member.2.Values.member.1", "/api/*"), ("Actions.member.1.Type", "forward"), ("Actions.member.1.TargetGroupArn", api))).EnsureOk();
        await lab.WaitForHealthAsync(web, ids[0], "healthy");
        await lab.WaitForHealthAsync(api, ids[1], "healthy");

        var apiPage = await lab.GetAsync(dns, "/api/users");
        var webPage = await lab.GetAsync(dns, "/users");

        Assert.Equal($"hello from {ids[1]}", apiPage.Body);
        Assert.Equal($"hello from {ids[0]}", webPage.Body);
    }
}
