using System.Text.Json.Nodes;

namespace LabPortal.Sandbox.Services.Ssm;

/// <summary>The JSON SSM answers with for a command and an invocation (botocore's Command and CommandInvocation shapes).</summary>
internal static class SsmShapes
{
    public static JsonObject InvocationJson(SsmCommand command, SsmInvocation invocation, string region, bool details)
    {
        var plugins = new JsonArray();
        if (details)
        {
            var output = invocation.StandardOutput + (invocation.StandardError.Length > 0 ? "\n----------ERROR-------\n" + invocation.StandardError : string.Empty);
            var plugin = new JsonObject
            {
                ["Name"] = SsmService.PluginName,
                ["Status"] = invocation.Status,
                ["StatusDetails"] = invocation.StatusDetails,
                ["ResponseCode"] = invocation.ResponseCode,
                ["Output"] = Truncate(output, SsmService.MaxPluginOutput),
                ["StandardOutputUrl"] = string.Empty,
                ["StandardErrorUrl"] = string.Empty,
                ["OutputS3Region"] = region,
                ["OutputS3BucketName"] = string.Empty,
                ["OutputS3KeyPrefix"] = string.Empty,
            };
            if (invocation.StartedAt is { } s)
            {
                plugin["ResponseStartDateTime"] = Epoch(s);
            }

            if (invocation.EndedAt is { } e)
            {
                plugin["ResponseFinishDateTime"] = Epoch(e);
            }

            plugins.Add(plugin);
        }

        return new JsonObject
        {
            ["CommandId"] = command.CommandId,
            ["InstanceId"] = invocation.InstanceId,
            ["InstanceName"] = string.Empty,
            ["Comment"] = command.Comment ?? string.Empty,
            ["DocumentName"] = command.DocumentName,
            ["DocumentVersion"] = "$DEFAULT",
            ["RequestedDateTime"] = Epoch(command.RequestedDateTime),
            ["Status"] = invocation.Status,
            ["StatusDetails"] = invocation.StatusDetails,
            ["TraceOutput"] = string.Empty,
            ["StandardOutputUrl"] = string.Empty,
            ["StandardErrorUrl"] = string.Empty,
            ["CommandPlugins"] = plugins,
            ["ServiceRole"] = string.Empty,
            ["NotificationConfig"] = new JsonObject { ["NotificationArn"] = string.Empty, ["NotificationEvents"] = new JsonArray(), ["NotificationType"] = string.Empty },
            ["CloudWatchOutputConfig"] = new JsonObject { ["CloudWatchLogGroupName"] = string.Empty, ["CloudWatchOutputEnabled"] = false },
        };
    }

    public static JsonObject CommandJson(SsmCommand command, string region)
    {
        var completed = command.Invocations.Count(i => i.Status is not ("Pending" or "InProgress"));
        return new JsonObject
        {
            ["CommandId"] = command.CommandId,
            ["DocumentName"] = command.DocumentName,
            ["DocumentVersion"] = "$DEFAULT",
            ["Comment"] = command.Comment ?? string.Empty,
            ["ExpiresAfter"] = Epoch(command.RequestedDateTime.AddSeconds(command.TimeoutSeconds + 3600)),
            ["Parameters"] = new JsonObject { ["commands"] = new JsonArray(command.Commands.Select(l => (JsonNode?)l).ToArray()) },
            ["InstanceIds"] = new JsonArray(command.InstanceIds.Select(id => (JsonNode?)id).ToArray()),
            ["Targets"] = new JsonArray(command.Targets.Select(t => (JsonNode)new JsonObject
            {
                ["Key"] = t.Key,
                ["Values"] = new JsonArray(t.Values.Select(v => (JsonNode?)v).ToArray()),
            }).ToArray()),
            ["RequestedDateTime"] = Epoch(command.RequestedDateTime),
            ["Status"] = command.OverallStatus(),
            ["StatusDetails"] = command.OverallStatus(),
            ["OutputS3Region"] = region,
            ["OutputS3BucketName"] = string.Empty,
            ["OutputS3KeyPrefix"] = string.Empty,
            ["MaxConcurrency"] = command.MaxConcurrency,
            ["MaxErrors"] = command.MaxErrors,
            ["TargetCount"] = command.Invocations.Count,
            ["CompletedCount"] = completed,
            ["ErrorCount"] = command.Invocations.Count(i => i.Status is "Failed" or "TimedOut"),
            ["DeliveryTimedOutCount"] = 0,
            ["ServiceRole"] = string.Empty,
            ["NotificationConfig"] = new JsonObject { ["NotificationArn"] = string.Empty, ["NotificationEvents"] = new JsonArray(), ["NotificationType"] = string.Empty },
            ["CloudWatchOutputConfig"] = new JsonObject { ["CloudWatchLogGroupName"] = string.Empty, ["CloudWatchOutputEnabled"] = false },
            ["TimeoutSeconds"] = command.TimeoutSeconds,
        };
    }

    public static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];

    /// <summary>JSON 1.1 timestamps are epoch seconds.</summary>
    public static double Epoch(DateTimeOffset value) => Math.Round(value.ToUnixTimeMilliseconds() / 1000.0, 3);
}
