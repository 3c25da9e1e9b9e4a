using System.Net;
using System.Text;
using LabPortal.Sandbox;

namespace LabPortal.Tests.Sandbox;

public sealed class SandboxPersistenceTests
{
    [Fact]
    public async Task Restart_brings_back_accounts_resources_and_running_instance_pages()
    {
        var directory = TestSandbox.NewDirectory();
        var userData = Convert.ToBase64String(Encoding.UTF8.GetBytes("#!/bin/bash\ndnf install -y nginx\nsystemctl enable --now nginx\n"));
        string instanceId, groupId, vpcId, publicDns, stoppedId;
        LabPortal.Sandbox.Accounts.SandboxAccount account;

        var firstMachines = new FakeMachineFactory();
        await using (var first = await TestSandbox.StartAsync(firstMachines, TestSandbox.Options(directory)))
        {
            account = await first.CreateAccountAsync("persisted");
            var client = new SandboxApiClient(first.Endpoints.Api, account);
            var ami = await TestSandbox.LatestAmiAsync(client);
            vpcId = (await client.Ec2Async("DescribeVpcs")).EnsureOk().Value("vpcId");
            groupId = (await client.Ec2Async("CreateSecurityGroup", ("GroupName", "web"), ("GroupDescription", "web"))).EnsureOk().Value("groupId");
            instanceId = (await client.Ec2Async("RunInstances", ("ImageId", ami), ("MinCount", "1"), ("MaxCount", "1"), ("SecurityGroupId.1", groupId), ("UserData", userData))).EnsureOk().Value("instanceId");
            stoppedId = (await client.Ec2Async("RunInstances", ("ImageId", ami), ("MinCount", "1"), ("MaxCount", "1"))).EnsureOk().Value("instanceId");
            await TestSandbox.WaitForStateAsync(client, instanceId, "running");
            await TestSandbox.WaitForStateAsync(client, stoppedId, "running");
            (await client.Ec2Async("StopInstances", ("InstanceId.1", stoppedId))).EnsureOk();
            await TestSandbox.WaitForStateAsync(client, stoppedId, "stopped");
            publicDns = (await client.Ec2Async("DescribeInstances", ("InstanceId.1", instanceId))).EnsureOk().Value("dnsName");
            Assert.Equal(HttpStatusCode.OK, (await GetPageAsync(first, publicDns)).Status);
        }

        var secondMachines = new FakeMachineFactory();
        await using var second = await TestSandbox.StartAsync(secondMachines, TestSandbox.Options(directory));
        var again = new SandboxApiClient(second.Endpoints.Api, account);

        Assert.Equal(vpcId, (await again.Ec2Async("DescribeVpcs")).EnsureOk().Value("vpcId"));
        Assert.Equal("web", (await again.Ec2Async("DescribeSecurityGroups", ("GroupId.1", groupId))).EnsureOk().Value("groupName"));
        Assert.Equal("running", await TestSandbox.InstanceStateAsync(again, instanceId));
        Assert.Equal("stopped", await TestSandbox.InstanceStateAsync(again, stoppedId));
        await TestSandbox.EventuallyAsync(async () => (await GetPageAsync(second, publicDns)).Status == HttpStatusCode.OK, "the instance page after restart");
        var restored = secondMachines.For(instanceId)!;
        Assert.NotNull(restored.Restored);
        Assert.Equal(["boot firstBoot=False"], restored.Calls);
        Assert.Null(secondMachines.For(stoppedId));
        Assert.Equal($"hello from {instanceId}", (await GetPageAsync(second, publicDns)).Body);
        Assert.Contains(account.AccountId, (await second.Accounts.ListAccountsAsync()).Select(a => a.AccountId));
    }

    internal static async Task<(HttpStatusCode Status, string Body)> GetPageAsync(SandboxServer server, string host)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, server.Endpoints.DataPlane);
        request.Headers.Host = $"{host}:{server.Endpoints.DataPlane.Port}";
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
