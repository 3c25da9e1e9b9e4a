using System.Net;
using System.Text.Json;
using LabPortal.Sandbox;
using LabPortal.Sandbox.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.Sandbox.Ssm;

public sealed class SsmTests : IAsyncLifetime
{
    private readonly RecordingMachineFactory _machines = new();
    private SandboxServer _server = null!;
    private SandboxApiClient _client = null!;

    public async Task InitializeAsync() =>
        (_server, _, _client) = await TestSandbox.StartWithAccountAsync(new FakeMachineFactory(), configure: services => services.AddSingleton<IMachineFactory>(_machines));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task GetParameter_returns_the_AMI_id_DescribeImages_lists_when_name_is_the_public_al2023_parameter()
    {
        var ami = await TestSandbox.LatestAmiAsync(_client);

        var call = await SsmAsync("GetParameter", new { Name = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64" });

        var parameter = Json(call.EnsureOk()).GetProperty("Parameter");
        Assert.Equal(ami, parameter.GetProperty("Value").GetString());
        Assert.Equal("String", parameter.GetProperty("Type").GetString());
    }

    [Fact]
    public async Task GetParameter_fails_with_ParameterNotFound_when_name_is_unknown()
    {
        var call = await SsmAsync("GetParameter", new { Name = "/lab/db-password" });

        Assert.Equal(HttpStatusCode.BadRequest, call.Status);
        Assert.Equal("ParameterNotFound", Json(call).GetProperty("__type").GetString());
    }

    [Fact]
    public async Task SendCommand_runs_script_on_the_machine_and_reports_Success_with_output_when_instance_runs()
    {
        var instanceId = await RunWebServerAsync();

        var send = Json((await SsmAsync("SendCommand", new { DocumentName = "AWS-RunShellScript", InstanceIds = new[] { instanceId }, Parameters = new { commands = new[] { "systemctl stop nginx" } } })).EnsureOk());
        var commandId = send.GetProperty("Command").GetProperty("CommandId").GetString()!;
        var invocation = await WaitForInvocationAsync(commandId, instanceId, "Success");

        Assert.Equal("Stopped nginx.service\n", invocation.GetProperty("StandardOutputContent").GetString());
        Assert.Equal(0, invocation.GetProperty("ResponseCode").GetInt32());
        Assert.Equal(["systemctl stop nginx"], _machines.For(instanceId)!.Scripts);
        Assert.Null(_machines.For(instanceId)!.GetHttpEndpoint(80));
        Assert.Equal("running", await TestSandbox.InstanceStateAsync(_client, instanceId));
        var list = Json((await SsmAsync("ListCommandInvocations", new { CommandId = commandId, Details = true })).EnsureOk());
        var plugin = list.GetProperty("CommandInvocations")[0].GetProperty("CommandPlugins")[0];
        Assert.Equal("aws:runShellScript", plugin.GetProperty("Name").GetString());
        Assert.Equal("Stopped nginx.service\n", plugin.GetProperty("Output").GetString());
    }

    [Fact]
    public async Task SendCommand_reports_Failed_with_exit_code_when_script_fails()
    {
        var instanceId = await RunWebServerAsync();

        var send = Json((await SsmAsync("SendCommand", new { DocumentName = "AWS-RunShellScript", InstanceIds = new[] { instanceId }, Parameters = new { commands = new[] { "echo start", "exit 3" } } })).EnsureOk());
        var invocation = await WaitForInvocationAsync(send.GetProperty("Command").GetProperty("CommandId").GetString()!, instanceId, "Failed");

        Assert.Equal(3, invocation.GetProperty("ResponseCode").GetInt32());
        Assert.Equal("failing on purpose\n", invocation.GetProperty("StandardErrorContent").GetString());
    }

    [Fact]
    public async Task SendCommand_fails_with_InvalidInstanceId_when_instance_is_unknown_or_stopped()
    {
        var instanceId = await RunWebServerAsync();
        (await _client.Ec2Async("StopInstances", ("InstanceId.1", instanceId))).EnsureOk();
        await TestSandbox.WaitForStateAsync(_client, instanceId, "stopped");

        var unknown = await SsmAsync("SendCommand", new { DocumentName = "AWS-RunShellScript", InstanceIds = new[] { "i-0123456789abcdef0" }, Parameters = new { commands = new[] { "uptime" } } });
        var stopped = await SsmAsync("SendCommand", new { DocumentName = "AWS-RunShellScript", InstanceIds = new[] { instanceId }, Parameters = new { commands = new[] { "uptime" } } });

        Assert.Equal("InvalidInstanceId", Json(unknown).GetProperty("__type").GetString());
        Assert.Contains("i-0123456789abcdef0", Json(unknown).GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("InvalidInstanceId", Json(stopped).GetProperty("__type").GetString());
    }

    [Fact]
    public async Task Ssm_answers_JSON_errors_when_document_invocation_or_operation_is_unknown()
    {
        var instanceId = await RunWebServerAsync();

        var document = await SsmAsync("SendCommand", new { DocumentName = "AWS-RunPowerShellScript", InstanceIds = new[] { instanceId }, Parameters = new { commands = new[] { "dir" } } });
        var invocation = await SsmAsync("GetCommandInvocation", new { CommandId = Guid.NewGuid().ToString(), InstanceId = instanceId });
        var operation = await SsmAsync("LaunchRockets", new { });

        Assert.Equal("InvalidDocument", Json(document).GetProperty("__type").GetString());
        Assert.Equal("InvocationDoesNotExist", Json(invocation).GetProperty("__type").GetString());
        Assert.Equal("UnknownOperationException", Json(operation).GetProperty("__type").GetString());
        Assert.All(new[] { document, invocation, operation }, c => Assert.Equal(HttpStatusCode.BadRequest, c.Status));
    }

    private async Task<string> RunWebServerAsync()
    {
        var ami = await TestSandbox.LatestAmiAsync(_client);
        var userData = Convert.ToBase64String("#!/bin/bash\ndnf install -y nginx\nsystemctl start nginx\n"u8.ToArray());
        var run = (await _client.Ec2Async("RunInstances", ("ImageId", ami), ("InstanceType", "t3.micro"), ("MinCount", "1"), ("MaxCount", "1"), ("UserData", userData), ("IamInstanceProfile.Name", TestSandbox.InstanceProfileName))).EnsureOk();
        var instanceId = run.Value("instanceId");
        await TestSandbox.WaitForStateAsync(_client, instanceId, "running");
        Assert.NotNull(_machines.For(instanceId)!.GetHttpEndpoint(80));
        return instanceId;
    }

    private Task<JsonElement> WaitForInvocationAsync(string commandId, string instanceId, string status) =>
        _client.WaitForInvocationAsync(commandId, instanceId, status);

    private Task<ApiCall> SsmAsync(string operation, object body) => _client.SsmAsync(operation, body);

    private static JsonElement Json(ApiCall call) => call.Json();
}
