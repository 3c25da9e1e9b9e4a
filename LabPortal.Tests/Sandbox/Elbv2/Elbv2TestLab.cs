using System.Net;
using System.Text;
using LabPortal.Sandbox;
using LabPortal.Sandbox.Accounts;
using LabPortal.Sandbox.Core;

namespace LabPortal.Tests.Sandbox.Elbv2;

/// <summary>
/// A started sandbox (time scale 1000) with one account, plus the ELBv2 calls the tests repeat:
/// web instances, a target group, a load balancer in two zones and an HTTP listener.
/// </summary>
internal sealed class Elbv2TestLab : IAsyncDisposable
{
    public static readonly string NginxUserData = Convert.ToBase64String(Encoding.UTF8.GetBytes("#!/bin/bash\ndnf install -y nginx\nsystemctl enable --now nginx\n"));

    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromSeconds(10) });

    private Elbv2TestLab(SandboxServer server, SandboxAccount account, SandboxApiClient client, FakeMachineFactory machines)
    {
        Server = server;
        Account = account;
        Client = client;
        Machines = machines;
    }

    public SandboxServer Server { get; }

    public SandboxAccount Account { get; }

    public SandboxApiClient Client { get; }

    public FakeMachineFactory Machines { get; }

    public static async Task<Elbv2TestLab> StartAsync(FakeMachineFactory? machines = null, SandboxOptions? options = null)
    {
        machines ??= new FakeMachineFactory();
        var (server, account, client) = await TestSandbox.StartWithAccountAsync(machines, options);
        return new Elbv2TestLab(server, account, client, machines);
    }

    public Task<ApiCall> ElbAsync(string action, params (string Name, string Value)[] parameters) =>
        Client.CallAsync("elasticloadbalancing", action, "2015-12-01", parameters);

    public async Task<string> DefaultVpcAsync() => (await Client.Ec2Async("DescribeVpcs")).EnsureOk().Value("vpcId");

    /// <summary>The default subnets of ap-northeast-2a and ap-northeast-2c.</summary>
    public async Task<(string A, string C)> SubnetsAsync()
    {
        var subnets = (await Client.Ec2Async("DescribeSubnets")).EnsureOk().Xml.Descendants()
            .Where(e => e.Name.LocalName == "item" && e.Elements().Any(c => c.Name.LocalName == "subnetId"))
            .Select(e => (Id: e.Elements().First(c => c.Name.LocalName == "subnetId").Value, Zone: e.Elements().First(c => c.Name.LocalName == "availabilityZone").Value))
            .ToList();
        return (subnets.First(s => s.Zone == "ap-northeast-2a").Id, subnets.First(s => s.Zone == "ap-northeast-2c").Id);
    }

    /// <summary>Runs <paramref name="count"/> instances whose user data starts nginx and waits until they run.</summary>
    public async Task<IReadOnlyList<string>> RunWebInstancesAsync(int count, string? securityGroupId = null)
    {
        var ami = await TestSandbox.LatestAmiAsync(Client);
        var parameters = new List<(string, string)> { ("ImageId", ami), ("MinCount", count.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("MaxCount", count.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("UserData", NginxUserData) };
        if (securityGroupId is not null)
        {
            parameters.Add(("SecurityGroupId.1", securityGroupId));
        }

        var ids = (await Client.Ec2Async("RunInstances", [.. parameters])).EnsureOk().Values("instanceId").ToList();
        foreach (var id in ids)
        {
            await TestSandbox.WaitForStateAsync(Client, id, "running");
        }

        return ids;
    }

    public async Task<string> CreateTargetGroupAsync(string name, params (string Name, string Value)[] extra)
    {
        var vpc = await DefaultVpcAsync();
        var call = await ElbAsync("CreateTargetGroup", [("Name", name), ("Protocol", "HTTP"), ("Port", "80"), ("VpcId", vpc), .. extra]);
        return call.EnsureOk().Value("TargetGroupArn");
    }

    public async Task RegisterAsync(string targetGroupArn, params string[] instanceIds)
    {
        var parameters = instanceIds.Select((id, i) => ($"Targets.member.{i + 1}.Id", id)).Prepend(("TargetGroupArn", targetGroupArn)).ToArray();
        (await ElbAsync("RegisterTargets", parameters)).EnsureOk();
    }

    /// <summary>Creates a load balancer in ap-northeast-2a/2c and waits until it is active; returns its ARN and DNS name.</summary>
    public async Task<(string Arn, string DnsName)> CreateLoadBalancerAsync(string name)
    {
        var (a, c) = await SubnetsAsync();
        var call = (await ElbAsync("CreateLoadBalancer", ("Name", name), ("Subnets.member.1", a), ("Subnets.member.2", c))).EnsureOk();
        var arn = call.Value("LoadBalancerArn");
        await TestSandbox.EventuallyAsync(
            async () => (await ElbAsync("DescribeLoadBalancers", ("LoadBalancerArns.member.1", arn))).EnsureOk().Value("Code") == "active",
            "the load balancer to be active");
        return (arn, call.Value("DNSName"));
    }

    public async Task<string> CreateListenerAsync(string loadBalancerArn, string targetGroupArn) =>
        (await ElbAsync(
            "CreateListener",
            ("LoadBalancerArn", loadBalancerArn),
            ("Protocol", "HTTP"),
            ("Port", "80"),
            ("DefaultActions.member.1.Type", "forward"),
            ("DefaultActions.member.1.TargetGroupArn", targetGroupArn))).EnsureOk().Value("ListenerArn");

    /// <summary>Each target's (id, state, reason) from DescribeTargetHealth.</summary>
    public async Task<IReadOnlyList<(string Id, string State, string? Reason, string? Description)>> HealthAsync(string targetGroupArn)
    {
        var call = (await ElbAsync("DescribeTargetHealth", ("TargetGroupArn", targetGroupArn))).EnsureOk();
        return call.Xml.Descendants().Where(e => e.Name.LocalName == "member" && e.Elements().Any(c => c.Name.LocalName == "TargetHealth"))
            .Select(m =>
            {
                var health = m.Elements().First(c => c.Name.LocalName == "TargetHealth");
                string? Child(string name) => health.Elements().FirstOrDefault(c => c.Name.LocalName == name)?.Value;
                var id = m.Elements().First(c => c.Name.LocalName == "Target").Elements().First(c => c.Name.LocalName == "Id").Value;
                return (id, Child("State")!, Child("Reason"), Child("Description"));
            })
            .ToList();
    }

    public Task WaitForHealthAsync(string targetGroupArn, string instanceId, string state, int timeoutSeconds = 20) =>
        TestSandbox.EventuallyAsync(
            async () => (await HealthAsync(targetGroupArn)).Any(h => h.Id == instanceId && h.State == state),
            $"{instanceId} to be {state}",
            timeoutSeconds);

    /// <summary>A GET through the data plane with the load balancer's Host header.</summary>
    public async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> GetAsync(string host, string path = "/")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Server.Endpoints.DataPlane, path));
        request.Headers.Host = $"{host}:{Server.Endpoints.DataPlane.Port}";
        var response = await Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}
