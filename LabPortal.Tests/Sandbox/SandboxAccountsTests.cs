using System.Text.RegularExpressions;
using LabPortal.Sandbox;
using LabPortal.Sandbox.Services.Ec2;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.Sandbox;

public sealed partial class SandboxAccountsTests : IAsyncLifetime
{
    private readonly FakeMachineFactory _machines = new();
    private SandboxServer _server = null!;

    public async Task InitializeAsync() => _server = await TestSandbox.StartAsync(_machines);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task CreateAccount_issues_aws_shaped_distinct_credentials()
    {
        var a = await _server.CreateAccountAsync("a");
        var b = await _server.CreateAccountAsync("b");

        Assert.Matches(AccountId(), a.AccountId);
        Assert.Matches(AccessKey(), a.AccessKeyId);
        Assert.Equal(40, a.SecretAccessKey.Length);
        Assert.NotEqual(a.AccountId, b.AccountId);
        Assert.NotEqual(a.AccessKeyId, b.AccessKeyId);
        Assert.NotEqual(a.SecretAccessKey, b.SecretAccessKey);
    }

    [Fact]
    public async Task DeleteAccount_terminates_machines_and_leaves_nothing_behind()
    {
        var account = await _server.CreateAccountAsync("leaver");
        var client = new SandboxApiClient(_server.Endpoints.Api, account);
        var ami = await TestSandbox.LatestAmiAsync(client);
        (await client.Ec2Async("CreateSecurityGroup", ("GroupName", "web"), ("GroupDescription", "web"))).EnsureOk();
        var instanceId = (await client.Ec2Async("RunInstances", ("ImageId", ami), ("MinCount", "1"), ("MaxCount", "1"))).EnsureOk().Value("instanceId");
        await TestSandbox.WaitForStateAsync(client, instanceId, "running");
        var before = await _server.Accounts.ListResourcesAsync(account.AccountId);

        Assert.True(await _server.Accounts.DeleteAccountAsync(account.AccountId));

        Assert.Equal(["instance", "security-group"], before.Select(r => r.ResourceType).Order());
        Assert.Equal(0, await _server.Accounts.CountResourcesAsync(account.AccountId));
        Assert.Equal(["boot firstBoot=True", "shutdown", "dispose"], _machines.For(instanceId)!.Calls);
        Assert.Null(await _server.Accounts.FindAccountAsync(account.AccountId));
        Assert.Equal("AuthFailure", (await client.Ec2Async("DescribeVpcs")).ErrorCode);
        Assert.False(await _server.Accounts.DeleteAccountAsync(account.AccountId));
    }

    [Fact]
    public async Task Instance_events_report_each_transition_in_order()
    {
        var account = await _server.CreateAccountAsync("events");
        var events = new List<InstanceStateChanged>();
        var instances = _server.Services.GetRequiredService<IEc2Instances>();
        using var subscription = instances.Subscribe((change, _) =>
        {
            lock (events)
            {
                events.Add(change);
            }

            return Task.CompletedTask;
        });
        var ami = Ec2ImageCatalog.PublicParameters("ap-northeast-2")["/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"];

        var reservation = await instances.RunInstancesAsync(account.AccountId, "ap-northeast-2", new InstanceLaunchSpec
        {
            ImageId = ami,
            SystemTags = new Dictionary<string, string> { ["aws:autoscaling:groupName"] = "lab-asg" },
        });
        Assert.Equal("lab-asg", reservation.Instances[0].Tags["aws:autoscaling:groupName"]);
        var instanceId = reservation.Instances[0].InstanceId;
        await TestSandbox.EventuallyAsync(() => Task.FromResult(Count(events, instanceId) >= 2), "running event");
        await instances.TerminateInstancesAsync(account.AccountId, "ap-northeast-2", [instanceId]);
        await TestSandbox.EventuallyAsync(() => Task.FromResult(Count(events, instanceId) >= 4), "terminated event");

        List<Ec2InstanceState> states;
        lock (events)
        {
            states = events.Where(e => e.InstanceId == instanceId).Select(e => e.CurrentState).ToList();
        }

        Assert.Equal([Ec2InstanceState.Pending, Ec2InstanceState.Running, Ec2InstanceState.ShuttingDown, Ec2InstanceState.Terminated], states);
        Assert.All(events, e => Assert.Equal(account.AccountId, e.AccountId));
    }

    [Fact]
    public async Task Playground_keys_are_refused_when_playground_is_not_allowed()
    {
        var call = await new SandboxApiClient(_server.Endpoints.Api, "test", "test").Ec2Async("DescribeVpcs");

        Assert.Equal("AuthFailure", call.ErrorCode);
        Assert.DoesNotContain(await _server.Accounts.ListAccountsAsync(), a => a.IsPlayground);
    }

    private static int Count(List<InstanceStateChanged> events, string instanceId)
    {
        lock (events)
        {
            return events.Count(e => e.InstanceId == instanceId);
        }
    }

    [GeneratedRegex("^[1-9][0-9]{11}$")]
    private static partial Regex AccountId();

    [GeneratedRegex("^AKIA[A-Z2-7]{16}$")]
    private static partial Regex AccessKey();
}
