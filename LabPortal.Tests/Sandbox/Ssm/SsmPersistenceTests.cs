using System.Text.Json;
using LabPortal.Sandbox.Accounts;
using LabPortal.Sandbox.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.Sandbox.Ssm;

public sealed class SsmPersistenceTests
{
    [Fact]
    public async Task Restart_fails_the_invocation_it_interrupted_as_Undeliverable_instead_of_running_it_again()
    {
        var directory = TestSandbox.NewDirectory();
        SandboxAccount account;
        string commandId, instanceId;
        var firstMachines = new RecordingMachineFactory();
        await using (var first = await TestSandbox.StartAsync(new FakeMachineFactory(), TestSandbox.Options(directory), services => services.AddSingleton<IMachineFactory>(firstMachines)))
        {
            account = await first.CreateAccountAsync("persisted-ssm");
            var client = new SandboxApiClient(first.Endpoints.Api, account);
            var ami = await TestSandbox.LatestAmiAsync(client);
            instanceId = (await client.Ec2Async("RunInstances", ("ImageId", ami), ("MinCount", "1"), ("MaxCount", "1"), ("IamInstanceProfile.Name", TestSandbox.InstanceProfileName))).EnsureOk().Value("instanceId");
            await TestSandbox.WaitForStateAsync(client, instanceId, "running");
            var send = await SsmAsync(client, "SendCommand", new { DocumentName = "AWS-RunShellScript", InstanceIds = new[] { instanceId }, TimeoutSeconds = 86400, Parameters = new { commands = new[] { "sleep infinity" } } });
            commandId = Json(send.EnsureOk()).GetProperty("Command").GetProperty("CommandId").GetString()!;
            await TestSandbox.EventuallyAsync(async () => await StatusAsync(client, commandId, instanceId) == "InProgress", "the script to start");
        }

        var secondMachines = new RecordingMachineFactory();
        await using var second = await TestSandbox.StartAsync(new FakeMachineFactory(), TestSandbox.Options(directory), services => services.AddSingleton<IMachineFactory>(secondMachines));
        var again = new SandboxApiClient(second.Endpoints.Api, account);

        var invocation = Json((await SsmAsync(again, "GetCommandInvocation", new { CommandId = commandId, InstanceId = instanceId })).EnsureOk());
        Assert.Equal("Failed", invocation.GetProperty("Status").GetString());
        Assert.Equal("Undeliverable", invocation.GetProperty("StatusDetails").GetString());
        await TestSandbox.EventuallyAsync(() => Task.FromResult(secondMachines.For(instanceId) is not null), "the instance to boot again");
        Assert.Empty(secondMachines.For(instanceId)!.Scripts);
    }

    private static async Task<string?> StatusAsync(SandboxApiClient client, string commandId, string instanceId) =>
        Json((await SsmAsync(client, "GetCommandInvocation", new { CommandId = commandId, InstanceId = instanceId })).EnsureOk()).GetProperty("Status").GetString();

    private static Task<ApiCall> SsmAsync(SandboxApiClient client, string operation, object body) => client.SsmAsync(operation, body);

    private static JsonElement Json(ApiCall call) => call.Json();
}
