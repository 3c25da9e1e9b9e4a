using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LabPortal.Sandbox.Wire;

namespace LabPortal.Sandbox.Services.Ssm;

/// <summary>Run Command's results: GetCommandInvocation, ListCommandInvocations and ListCommands.</summary>
public sealed partial class SsmService
{
    private async Task<ApiResult> GetCommandInvocationAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var commandId = SsmJsonInput.RequiredString(request.Json, "CommandId");
        var instanceId = SsmJsonInput.RequiredString(request.Json, "InstanceId");
        if (request.Json.TryGetProperty("PluginName", out var plugin) && plugin.GetString() is { } pluginName && pluginName != PluginName)
        {
            throw new ApiException("InvalidPluginName", string.Empty);
        }

        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var (command, invocation) = SsmInvocationRunner.Find(scope, request.Region, commandId, instanceId);
        if (command is null || invocation is null)
        {
            throw new ApiException("InvocationDoesNotExist", string.Empty);
        }

        return ApiResult.Json(new JsonObject
        {
            ["CommandId"] = command.CommandId,
            ["InstanceId"] = invocation.InstanceId,
            ["Comment"] = command.Comment ?? string.Empty,
            ["DocumentName"] = command.DocumentName,
            ["DocumentVersion"] = "$DEFAULT",
            ["PluginName"] = PluginName,
            ["ResponseCode"] = invocation.ResponseCode,
            ["ExecutionStartDateTime"] = invocation.StartedAt is { } s ? XmlWriterExtensions.FormatTimestamp(s) : string.Empty,
            ["ExecutionElapsedTime"] = invocation.StartedAt is { } from && invocation.EndedAt is { } to
                ? string.Create(CultureInfo.InvariantCulture, $"PT{(to - from).TotalSeconds:0.###}S")
                : string.Empty,
            ["ExecutionEndDateTime"] = invocation.EndedAt is { } e ? XmlWriterExtensions.FormatTimestamp(e) : string.Empty,
            ["Status"] = invocation.Status,
            ["StatusDetails"] = invocation.StatusDetails,
            ["StandardOutputContent"] = SsmShapes.Truncate(invocation.StandardOutput, MaxOutputContent),
            ["StandardOutputUrl"] = string.Empty,
            ["StandardErrorContent"] = SsmShapes.Truncate(invocation.StandardError, MaxOutputContent),
            ["StandardErrorUrl"] = string.Empty,
            ["CloudWatchOutputConfig"] = new JsonObject { ["CloudWatchLogGroupName"] = string.Empty, ["CloudWatchOutputEnabled"] = false },
        });
    }

    private async Task<ApiResult> ListCommandInvocationsAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var json = request.Json;
        var commandId = json.TryGetProperty("CommandId", out var c) ? c.GetString() : null;
        var instanceId = json.TryGetProperty("InstanceId", out var i) ? i.GetString() : null;
        var details = json.TryGetProperty("Details", out var d) && d.ValueKind == JsonValueKind.True;
        var maxResults = json.TryGetProperty("MaxResults", out var m) && m.TryGetInt32(out var max) ? Math.Clamp(max, 1, 50) : 50;
        var token = json.TryGetProperty("NextToken", out var n) ? n.GetString() : null;
        var start = 0;
        if (!string.IsNullOrEmpty(token) && !int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out start))
        {
            throw new ApiException("InvalidNextToken", "The specified token is not valid.");
        }

        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var commands = scope.Find<SsmRegionState>(request.Region)?.Commands ?? [];
        if (commandId is not null && commands.All(x => x.CommandId != commandId))
        {
            throw new ApiException("InvalidCommandId", string.Empty);
        }

        var rows = commands
            .Where(x => commandId is null || x.CommandId == commandId)
            .Reverse()
            .SelectMany(x => x.Invocations.Where(v => instanceId is null || v.InstanceId == instanceId).Select(v => (Command: x, Invocation: v)))
            .ToList();
        var page = rows.Skip(start).Take(maxResults).ToList();
        var result = new JsonObject
        {
            ["CommandInvocations"] = new JsonArray(page.Select(r => (JsonNode)SsmShapes.InvocationJson(r.Command, r.Invocation, request.Region, details)).ToArray()),
        };
        if (start + page.Count < rows.Count)
        {
            result["NextToken"] = (start + page.Count).ToString(CultureInfo.InvariantCulture);
        }

        return ApiResult.Json(result);
    }

    /// <summary>ListCommands: the account's commands newest first, by id, instance or the Status/DocumentName filters.</summary>
    private async Task<ApiResult> ListCommandsAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var json = request.Json;
        var commandId = SsmJsonInput.OptionalString(json, "CommandId");
        var instanceId = SsmJsonInput.OptionalString(json, "InstanceId");
        var maxResults = json.TryGetProperty("MaxResults", out var m) && m.TryGetInt32(out var max) ? max : 50;
        if (maxResults is < 1 or > 50)
        {
            throw new ApiException("ValidationException", $"1 validation error detected: Value '{maxResults}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50");
        }

        var token = SsmJsonInput.OptionalString(json, "NextToken");
        var start = 0;
        if (!string.IsNullOrEmpty(token) && !int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out start))
        {
            throw new ApiException("InvalidNextToken", "The specified token is not valid.");
        }

        var filters = new List<(string Key, string Value)>();
        if (json.TryGetProperty("Filters", out var f) && f.ValueKind == JsonValueKind.Array)
        {
            foreach (var filter in f.EnumerateArray())
            {
                var key = SsmJsonInput.RequiredString(filter, "key");
                var value = SsmJsonInput.RequiredString(filter, "value");
                if (key is not ("Status" or "DocumentName"))
                {
                    throw new ApiException("InvalidFilterKey", $"The filter key {QueryParameters.Shorten(key)} is not valid for this sandbox; use Status or DocumentName.");
                }

                filters.Add((key, value));
            }
        }

        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var commands = scope.Find<SsmRegionState>(request.Region)?.Commands ?? [];
        if (commandId is not null && commands.All(x => x.CommandId != commandId))
        {
            throw new ApiException("InvalidCommandId", string.Empty);
        }

        var rows = commands
            .Where(x => commandId is null || x.CommandId == commandId)
            .Where(x => instanceId is null || x.Invocations.Any(v => v.InstanceId == instanceId))
            .Where(x => filters.All(flt => flt.Key == "Status" ? x.OverallStatus() == flt.Value : x.DocumentName == flt.Value))
            .Reverse()
            .ToList();
        var page = rows.Skip(start).Take(maxResults).ToList();
        var result = new JsonObject
        {
            ["Commands"] = new JsonArray(page.Select(x => (JsonNode)SsmShapes.CommandJson(x, request.Region)).ToArray()),
        };
        if (start + page.Count < rows.Count)
        {
            result["NextToken"] = (start + page.Count).ToString(CultureInfo.InvariantCulture);
        }

        return ApiResult.Json(result);
    }
}
