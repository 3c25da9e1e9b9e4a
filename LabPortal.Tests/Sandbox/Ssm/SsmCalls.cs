using System.Text;
using System.Text.Json;

namespace LabPortal.Tests.Sandbox.Ssm;

/// <summary>Signed SSM (JSON 1.1) calls for tests.</summary>
internal static class SsmCalls
{
    public static Task<ApiCall> SsmAsync(this SandboxApiClient client, string operation, object body) =>
        client.SendRawAsync("ssm", Encoding.UTF8.GetBytes(JsonSerializer.Serialize(body)), "application/x-amz-json-1.1", target: "AmazonSSM." + operation);

    public static JsonElement Json(this ApiCall call) => JsonDocument.Parse(call.Body).RootElement.Clone();

    /// <summary>Polls GetCommandInvocation until it reports <paramref name="status"/>; returns that answer.</summary>
    public static async Task<JsonElement> WaitForInvocationAsync(this SandboxApiClient client, string commandId, string instanceId, string status)
    {
        JsonElement last = default;
        await TestSandbox.EventuallyAsync(
            async () =>
            {
                last = (await client.SsmAsync("GetCommandInvocation", new { CommandId = commandId, InstanceId = instanceId })).EnsureOk().Json();
                return last.GetProperty("Status").GetString() == status;
            },
            $"command {commandId} to reach {status}");
        return last;
    }
}
