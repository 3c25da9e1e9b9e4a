using System.Net;
using System.Text;
using LabPortal.Sandbox;

namespace LabPortal.Tests.Sandbox;

public sealed class SandboxConcurrencyTests : IAsyncLifetime
{
    private readonly FakeMachineFactory _machines = new();
    private SandboxServer _server = null!;

    public async Task InitializeAsync() => _server = await TestSandbox.StartAsync(_machines);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Many_learners_acting_at_once_each_see_exactly_their_own_resources()
    {
        var learners = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            var account = await _server.CreateAccountAsync($"learner-{i}");
            return (Account: account, Client: new SandboxApiClient(_server.Endpoints.Api, account));
        }));

        await Task.WhenAll(learners.SelectMany(l => Enumerable.Range(0, 5).Select(async g =>
            (await l.Client.Ec2Async("CreateSecurityGroup", ("GroupName", $"group-{g}"), ("GroupDescription", l.Account.AccountId))).EnsureOk())));
        var ami = await TestSandbox.LatestAmiAsync(learners[0].Client);
        var launched = await Task.WhenAll(learners.Select(async l =>
            (await l.Client.Ec2Async("RunInstances", ("ImageId", ami), ("MinCount", "2"), ("MaxCount", "2"))).EnsureOk().Values("instanceId").ToList()));

        for (var i = 0; i < learners.Length; i++)
        {
            var groups = (await learners[i].Client.Ec2Async("DescribeSecurityGroups")).EnsureOk();
            var instances = (await learners[i].Client.Ec2Async("DescribeInstances")).EnsureOk();
            Assert.Equal(6, groups.Values("groupName").Count());
            Assert.All(groups.Values("groupDescription").Where(d => d != "default VPC security group"), d => Assert.Equal(learners[i].Account.AccountId, d));
            Assert.Equal(launched[i].Order(), instances.Values("instanceId").Order());
            Assert.Equal(7, await _server.Accounts.CountResourcesAsync(learners[i].Account.AccountId));
        }
    }

    [Fact]
    public async Task Api_answers_413_when_body_is_larger_than_a_megabyte()
    {
        var account = await _server.CreateAccountAsync("big");
        var client = new SandboxApiClient(_server.Endpoints.Api, account);
        var body = Encoding.UTF8.GetBytes("Action=DescribeVpcs&Version=2016-11-15&Junk=" + new string('x', 2 * 1024 * 1024));

        // Expect: 100-continue lets the server refuse before the body is sent, as AWS SDKs do for
        // large bodies; without it the server's early 413 races the upload and the client may only
        // see its connection closed.
        var call = await client.SendRawAsync("ec2", body, "application/x-www-form-urlencoded", request => request.Headers.ExpectContinue = true);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, call.Status);
    }
}
