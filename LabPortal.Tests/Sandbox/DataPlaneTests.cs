using System.Net;
using System.Net.Sockets;
using System.Text;
using LabPortal.Sandbox;
using LabPortal.Sandbox.DataPlane;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.Sandbox;

public sealed class DataPlaneTests : IAsyncLifetime
{
    private readonly FakeMachineFactory _machines = new();
    private SandboxServer _server = null!;
    private SandboxApiClient _client = null!;

    public async Task InitializeAsync() => (_server, _, _client) = await TestSandbox.StartWithAccountAsync(_machines);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Instance_public_dns_name_is_forwarded_to_machine_web_server()
    {
        var (_, dns) = await LaunchAsync("#!/bin/bash\ndnf install -y nginx\n");

        var page = await SandboxPersistenceTests.GetPageAsync(_server, dns);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.StartsWith("hello from i-", page.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Instance_without_web_server_answers_502()
    {
        var (_, dns) = await LaunchAsync("#!/bin/bash\necho nothing\n");

        var page = await SandboxPersistenceTests.GetPageAsync(_server, dns);

        Assert.Equal(HttpStatusCode.BadGateway, page.Status);
    }

    [Fact]
    public async Task Unknown_host_answers_404_with_short_text()
    {
        var page = await SandboxPersistenceTests.GetPageAsync(_server, "ec2-1-2-3-4.ap-northeast-2.compute.localhost");

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Contains("no load balancer or instance", page.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Terminated_instance_name_stops_answering()
    {
        var (instanceId, dns) = await LaunchAsync("#!/bin/bash\ndnf install -y nginx\n");
        (await _client.Ec2Async("TerminateInstances", ("InstanceId.1", instanceId))).EnsureOk();
        await TestSandbox.WaitForStateAsync(_client, instanceId, "terminated");

        var page = await SandboxPersistenceTests.GetPageAsync(_server, dns);

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
    }

    [Fact]
    public async Task Route_registry_serves_mapped_host_until_route_is_removed()
    {
        var routes = _server.Services.GetRequiredService<IDataPlaneRoutes>();
        var route = routes.Map("web-lb-1234567890.ap-northeast-2.elb.localhost", context => context.Response.WriteAsync("from the load balancer"));

        var mapped = await SandboxPersistenceTests.GetPageAsync(_server, "WEB-LB-1234567890.ap-northeast-2.elb.localhost");
        route.Dispose();
        var removed = await SandboxPersistenceTests.GetPageAsync(_server, "web-lb-1234567890.ap-northeast-2.elb.localhost");

        Assert.Equal("from the load balancer", mapped.Body);
        Assert.Equal(HttpStatusCode.NotFound, removed.Status);
    }

    private async Task<(string InstanceId, string PublicDns)> LaunchAsync(string script)
    {
        var ami = await TestSandbox.LatestAmiAsync(_client);
        var userData = Convert.ToBase64String(Encoding.UTF8.GetBytes(script));
        var instanceId = (await _client.Ec2Async("RunInstances", ("ImageId", ami), ("MinCount", "1"), ("MaxCount", "1"), ("UserData", userData))).EnsureOk().Value("instanceId");
        await TestSandbox.WaitForStateAsync(_client, instanceId, "running");
        var dns = (await _client.Ec2Async("DescribeInstances", ("InstanceId.1", instanceId))).EnsureOk().Value("dnsName");
        return (instanceId, dns);
    }

    [Fact]
    public async Task Forwarder_answers_504_when_upstream_accepts_but_never_answers()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var target = new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/");
        var forwarder = _server.Services.GetRequiredService<HttpForwarder>();
        using var route = _server.Services.GetRequiredService<IDataPlaneRoutes>().Map("slow.test.localhost", context => forwarder.ForwardAsync(context, target, TimeSpan.FromMilliseconds(300)));

        var page = await SandboxPersistenceTests.GetPageAsync(_server, "slow.test.localhost");

        Assert.Equal(HttpStatusCode.GatewayTimeout, page.Status);
    }

    [Fact]
    public async Task Forwarder_answers_502_when_upstream_refuses_connection()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var target = new Uri($"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/");
        probe.Stop();
        var forwarder = _server.Services.GetRequiredService<HttpForwarder>();
        using var route = _server.Services.GetRequiredService<IDataPlaneRoutes>().Map("closed.test.localhost", context => forwarder.ForwardAsync(context, target));

        var page = await SandboxPersistenceTests.GetPageAsync(_server, "closed.test.localhost");

        Assert.Equal(HttpStatusCode.BadGateway, page.Status);
        Assert.Contains("connection refused", page.Body, StringComparison.Ordinal);
    }
}
