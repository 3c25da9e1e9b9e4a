using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LabPortal.Sandbox.Accounts;
using LabPortal.Sandbox.Services.Ec2;
using LabPortal.Sandbox.State;
using LabPortal.Sandbox.Wire;

namespace LabPortal.Sandbox.Services.Ssm;

/// <summary>
/// SSM (JSON 1.1, <c>X-Amz-Target: AmazonSSM.*</c>, signing name <c>ssm</c>): the public AMI
/// parameters and Run Command with <c>AWS-RunShellScript</c>, which runs on the instance's
/// <see cref="Runtime.IMachine"/> in the background (ARCHITECTURE.md "faults").
/// </summary>
public sealed partial class SsmService : ApiService, IAccountCleanup, ISandboxLifecycle
{
    public const string RunShellScript = "AWS-RunShellScript";

    /// <summary>GetCommandInvocation returns at most 24,000 characters of output (API reference, StandardOutputContent).</summary>
    public const int MaxOutputContent = 24000;

    /// <summary>ListCommandInvocations' plugin Output holds the first 2,500 characters (API reference, CommandPlugin.Output).</summary>
    public const int MaxPluginOutput = 2500;

    /// <summary>The agent picks a command up within a second or so; AWS publishes no figure.</summary>
    public static readonly TimeSpan DeliveryDelay = TimeSpan.FromSeconds(1);

    private const string PluginName = "aws:runShellScript";

    private readonly SandboxState _state;
    private readonly SandboxClock _clock;
    private readonly SandboxBackgroundWork _background;
    private readonly IEc2Instances _ec2;

    public SsmService(SandboxState state, SandboxClock clock, SandboxBackgroundWork background, IEc2Instances ec2)
        : base("ssm", WireProtocol.Json, string.Empty, "2014-11-06", "AmazonSSM")
    {
        _state = state;
        _clock = clock;
        _background = background;
        _ec2 = ec2;

        Register("GetParameter", GetParameterAsync);
        Register("GetParameters", GetParametersAsync);
        Register("SendCommand", SendCommandAsync);
        Register("GetCommandInvocation", GetCommandInvocationAsync);
        Register("ListCommandInvocations", ListCommandInvocationsAsync);
        Register("ListCommands", ListCommandsAsync);
    }

    public Task CleanUpAsync(AccountScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);

        // Running scripts end with their machines (EC2's cleanup); their results find no command to land in.
        foreach (var (region, ssm) in scope.All<SsmRegionState>())
        {
            ssm.Commands.Clear();
            scope.MarkChanged<SsmRegionState>(region);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Scripts do not survive a restart: an invocation that was pending or running when the sandbox
    /// stopped ends as the agent reports a lost delivery (Failed, "Undeliverable"), never runs twice.
    /// </summary>
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        foreach (var accountId in _state.AccountIds)
        {
            await using var scope = await _state.EnterAsync(accountId, cancellationToken);
            foreach (var (region, ssm) in scope.All<SsmRegionState>())
            {
                var interrupted = ssm.Commands.SelectMany(c => c.Invocations).Where(i => i.Status is "Pending" or "InProgress").ToList();
                foreach (var invocation in interrupted)
                {
                    invocation.Status = "Failed";
                    invocation.StatusDetails = "Undeliverable";
                    invocation.EndedAt = _clock.UtcNow;
                }

                if (interrupted.Count > 0)
                {
                    scope.MarkChanged<SsmRegionState>(region);
                }
            }
        }
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // ---------------------------------------------------------------- parameters

    private Task<ApiResult> GetParameterAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var name = RequiredString(request.Json, "Name");
        var value = FindPublicParameter(request.Region, name)
            ?? throw new ApiException("ParameterNotFound", string.Empty);
        return Task.FromResult(ApiResult.Json(new JsonObject { ["Parameter"] = ParameterJson(request.Region, name, value) }));
    }

    private Task<ApiResult> GetParametersAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        if (!request.Json.TryGetProperty("Names", out var names) || names.ValueKind != JsonValueKind.Array)
        {
            throw Missing("Names");
        }

        var found = new JsonArray();
        var invalid = new JsonArray();
        foreach (var name in names.EnumerateArray().Select(n => n.GetString() ?? string.Empty).Distinct(StringComparer.Ordinal))
        {
            if (FindPublicParameter(request.Region, name) is { } value)
            {
                found.Add(ParameterJson(request.Region, name, value));
            }
            else
            {
                invalid.Add(name);
            }
        }

        return Task.FromResult(ApiResult.Json(new JsonObject { ["Parameters"] = found, ["InvalidParameters"] = invalid }));
    }

    /// <summary>
    /// The public <c>/aws/service/...</c> parameters. Their values come from EC2's image catalog, so
    /// the AMI id a lab reads here is the one DescribeImages and RunInstances know.
    /// </summary>
    private static string? FindPublicParameter(string region, string name)
    {
        var bare = name.Split(':')[0];
        return Ec2ImageCatalog.PublicParameters(region).GetValueOrDefault(bare);
    }

    private static JsonObject ParameterJson(string region, string name, string value) => new()
    {
        ["Name"] = name,
        ["Type"] = "String",
        ["Value"] = value,
        ["Version"] = 1,
        ["LastModifiedDate"] = 1732139000.0,
        ["ARN"] = $"arn:aws:ssm:{region}::parameter{name.Split(':')[0]}",
        ["DataType"] = "text",
    };

    // ---------------------------------------------------------------- run command

    private async Task<ApiResult> SendCommandAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var json = request.Json;
        var document = RequiredString(json, "DocumentName");
        if (document != RunShellScript)
        {
            throw new ApiException("InvalidDocument", $"Document {QueryParameters.Shorten(document)} does not exist in your account. This sandbox runs {RunShellScript}.");
        }

        var lines = ReadCommands(json);
        var instanceIds = ReadStrings(json, "InstanceIds");
        var targets = ReadTargets(json);
        if (instanceIds.Count == 0 && targets.Count == 0)
        {
            throw new ApiException("ValidationException", "Either InstanceIds or Targets must be specified.");
        }

        if (instanceIds.Count > 0 && targets.Count > 0)
        {
            throw new ApiException("ValidationException", "InstanceIds and Targets cannot be specified together.");
        }

        // MaxConcurrency and MaxErrors default to 50 and 0 only when not given (SendCommand API reference; verified against AWS, issue 19).
        var maxConcurrency = OptionalString(json, "MaxConcurrency") ?? "50";
        var maxErrors = OptionalString(json, "MaxErrors") ?? "0";
        if (!RateOrCount().IsMatch(maxConcurrency))
        {
            throw new ApiException("ValidationException", $"1 validation error detected: Value '{QueryParameters.Shorten(maxConcurrency)}' at 'maxConcurrency' failed to satisfy constraint: Member must satisfy regular expression pattern: ^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$");
        }

        if (!ErrorsPattern().IsMatch(maxErrors))
        {
            throw new ApiException("ValidationException", $"1 validation error detected: Value '{QueryParameters.Shorten(maxErrors)}' at 'maxErrors' failed to satisfy constraint: Member must satisfy regular expression pattern: ^([1-9][0-9]*|[0]|[1-9][0-9]%|[0-9]%|100%)$");
        }

        if (instanceIds.Count != instanceIds.Distinct(StringComparer.Ordinal).Count())
        {
            throw new ApiException("DuplicateInstanceId", "You cannot specify an instance ID in more than one association.");
        }

        var timeout = json.TryGetProperty("TimeoutSeconds", out var t) && t.TryGetInt32(out var seconds) ? seconds : 3600;
        var comment = json.TryGetProperty("Comment", out var c) ? c.GetString() : null;

        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        if (targets.Count > 0)
        {
            // Targets pick the managed instances (running, agent registered) that match every key.
            instanceIds = ResolveTargets(scope, request.Region, targets)
                .Where(id => IsManaged(scope, request, id))
                .ToList();
        }

        // Only managed instances take commands: running, an agent (a booted machine), and an instance
        // profile, without which the SSM Agent cannot register on AWS (SendCommand answers InvalidInstanceId).
        var invalid = instanceIds.Where(id => !IsManaged(scope, request, id)).ToList();
        if (invalid.Count > 0)
        {
            throw new ApiException("InvalidInstanceId", $"Instances [[{string.Join(", ", invalid.Select(QueryParameters.Shorten))}]] not in a valid state for account {request.AccountId}");
        }

        var command = new SsmCommand
        {
            CommandId = Guid.NewGuid().ToString(),
            DocumentName = document,
            Comment = comment,
            Commands = lines,
            InstanceIds = targets.Count > 0 ? [] : instanceIds.ToList(),
            Targets = targets,
            MaxConcurrency = maxConcurrency,
            MaxErrors = maxErrors,
            TimeoutSeconds = timeout,
            RequestedDateTime = _clock.UtcNow,
            Invocations = instanceIds.Select(id => new SsmInvocation { InstanceId = id }).ToList(),
        };
        scope.Write<SsmRegionState>(request.Region).Add(command);
        var accountId = request.AccountId;
        var region = request.Region;
        foreach (var id in instanceIds)
        {
            scope.OnReleased(() => _background.Run($"ssm {command.CommandId} {id}", ct => RunInvocationAsync(accountId, region, command.CommandId, id, ct)));
        }

        return ApiResult.Json(new JsonObject { ["Command"] = CommandJson(command, region) });
    }

    private async Task RunInvocationAsync(string accountId, string region, string commandId, string instanceId, CancellationToken cancellationToken)
    {
        await _clock.DelayAsync(DeliveryDelay, cancellationToken);
        string script;
        TimeSpan timeout;
        await using (var scope = await _state.EnterAsync(accountId, cancellationToken))
        {
            var (command, invocation) = Find(scope, region, commandId, instanceId);
            if (command is null || invocation is null)
            {
                return;
            }

            invocation.Status = "InProgress";
            invocation.StatusDetails = "InProgress";
            invocation.StartedAt = _clock.UtcNow;
            scope.MarkChanged<SsmRegionState>(region);
            script = string.Join('\n', command.Commands);
            timeout = _clock.Scaled(TimeSpan.FromSeconds(command.TimeoutSeconds));
        }

        var machine = _ec2.GetMachine(accountId, instanceId);
        (string Status, int Code, string Out, string Err) outcome;
        if (machine is null)
        {
            // The instance stopped between the call and delivery: the agent never got the command.
            outcome = ("Undeliverable", -1, string.Empty, string.Empty);
        }
        else
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(timeout);
            try
            {
                var result = await machine.RunScriptAsync(script, limit.Token);
                outcome = (result.ExitCode == 0 ? "Success" : "Failed", result.ExitCode, result.StandardOutput, result.StandardError);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                outcome = ("TimedOut", -1, string.Empty, "Execution timed out.");
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
            {
                outcome = ("Failed", 1, string.Empty, ex.Message);
            }
        }

        await using (var scope = await _state.EnterAsync(accountId, cancellationToken))
        {
            var (_, invocation) = Find(scope, region, commandId, instanceId);
            if (invocation is null)
            {
                return;
            }

            invocation.Status = outcome.Status == "Undeliverable" ? "Failed" : outcome.Status;
            invocation.StatusDetails = outcome.Status;
            invocation.ResponseCode = outcome.Code;
            invocation.StandardOutput = outcome.Out;
            invocation.StandardError = outcome.Err;
            invocation.EndedAt = _clock.UtcNow;
            scope.MarkChanged<SsmRegionState>(region);
        }

        if (machine is not null)
        {
            // The script changed the machine (a stopped web server): keep that across a restart.
            await _ec2.SaveMachineSnapshotAsync(accountId, region, instanceId, cancellationToken);
        }
    }

    private static (SsmCommand? Command, SsmInvocation? Invocation) Find(AccountScope scope, string region, string commandId, string instanceId)
    {
        var command = scope.Find<SsmRegionState>(region)?.Commands.FirstOrDefault(c => c.CommandId == commandId);
        return (command, command?.Invocations.FirstOrDefault(i => i.InstanceId == instanceId));
    }

    private async Task<ApiResult> GetCommandInvocationAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var commandId = RequiredString(request.Json, "CommandId");
        var instanceId = RequiredString(request.Json, "InstanceId");
        if (request.Json.TryGetProperty("PluginName", out var plugin) && plugin.GetString() is { } pluginName && pluginName != PluginName)
        {
            throw new ApiException("InvalidPluginName", string.Empty);
        }

        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var (command, invocation) = Find(scope, request.Region, commandId, instanceId);
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
            ["StandardOutputContent"] = Truncate(invocation.StandardOutput, MaxOutputContent),
            ["StandardOutputUrl"] = string.Empty,
            ["StandardErrorContent"] = Truncate(invocation.StandardError, MaxOutputContent),
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
            ["CommandInvocations"] = new JsonArray(page.Select(r => (JsonNode)InvocationJson(r.Command, r.Invocation, request.Region, details)).ToArray()),
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
        var commandId = OptionalString(json, "CommandId");
        var instanceId = OptionalString(json, "InstanceId");
        var maxResults = json.TryGetProperty("MaxResults", out var m) && m.TryGetInt32(out var max) ? max : 50;
        if (maxResults is < 1 or > 50)
        {
            throw new ApiException("ValidationException", $"1 validation error detected: Value '{maxResults}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50");
        }

        var token = OptionalString(json, "NextToken");
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
                var key = RequiredString(filter, "key");
                var value = RequiredString(filter, "value");
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
            ["Commands"] = new JsonArray(page.Select(x => (JsonNode)CommandJson(x, request.Region)).ToArray()),
        };
        if (start + page.Count < rows.Count)
        {
            result["NextToken"] = (start + page.Count).ToString(CultureInfo.InvariantCulture);
        }

        return ApiResult.Json(result);
    }

    /// <summary>
    /// The instances that Targets select: <c>InstanceIds</c>, <c>tag:Key</c> (any of the values) and
    /// <c>tag-key</c>, every key required (Run Command user guide, "Targets"). Running instances only.
    /// </summary>
    private bool IsManaged(AccountScope scope, ApiRequest request, string instanceId) =>
        _ec2.FindInstance(scope, request.Region, instanceId) is { State: Ec2InstanceState.Running, IamInstanceProfileArn: not null }
        && _ec2.GetMachine(request.AccountId, instanceId) is not null;

    private static List<string> ResolveTargets(AccountScope scope, string region, IReadOnlyList<SsmTarget> targets)
    {
        var instances = scope.Find<Ec2RegionState>(region)?.Instances.Values.Where(i => i.State == Ec2InstanceState.Running).ToList() ?? [];
        return instances
            .Where(i => targets.All(t => t.Key switch
            {
                "InstanceIds" => t.Values.Contains(i.InstanceId, StringComparer.Ordinal),
                "tag-key" => t.Values.Any(i.Tags.ContainsKey),
                _ => i.Tags.TryGetValue(t.Key[4..], out var value) && t.Values.Contains(value, StringComparer.Ordinal),
            }))
            .OrderBy(i => i.LaunchTime)
            .Select(i => i.InstanceId)
            .ToList();
    }

    private static List<SsmTarget> ReadTargets(JsonElement json)
    {
        if (!json.TryGetProperty("Targets", out var value) || value.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var targets = new List<SsmTarget>();
        foreach (var item in value.EnumerateArray())
        {
            var key = RequiredString(item, "Key");
            if (key is not ("InstanceIds" or "tag-key") && !key.StartsWith("tag:", StringComparison.Ordinal))
            {
                throw new ApiException("InvalidTarget", $"Target key {QueryParameters.Shorten(key)} is not supported by this sandbox; use InstanceIds, tag:<key> or tag-key.");
            }

            var values = ReadStrings(item, "Values");
            if (values.Count == 0)
            {
                throw new ApiException("InvalidTarget", $"Target {QueryParameters.Shorten(key)} needs at least one value.");
            }

            targets.Add(new SsmTarget { Key = key, Values = values });
        }

        return targets;
    }

    private static string? OptionalString(JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [System.Text.RegularExpressions.GeneratedRegex("^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$")]
    private static partial System.Text.RegularExpressions.Regex RateOrCount();

    [System.Text.RegularExpressions.GeneratedRegex("^([1-9][0-9]*|[0]|[1-9][0-9]%|[0-9]%|100%)$")]
    private static partial System.Text.RegularExpressions.Regex ErrorsPattern();

    private static JsonObject InvocationJson(SsmCommand command, SsmInvocation invocation, string region, bool details)
    {
        var plugins = new JsonArray();
        if (details)
        {
            var output = invocation.StandardOutput + (invocation.StandardError.Length > 0 ? "\n----------ERROR-------\n" + invocation.StandardError : string.Empty);
            var plugin = new JsonObject
            {
                ["Name"] = PluginName,
                ["Status"] = invocation.Status,
                ["StatusDetails"] = invocation.StatusDetails,
                ["ResponseCode"] = invocation.ResponseCode,
                ["Output"] = Truncate(output, MaxPluginOutput),
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

    private static JsonObject CommandJson(SsmCommand command, string region)
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

    // ---------------------------------------------------------------- JSON input

    /// <summary>Parameters.commands: the script's lines (AWS-RunShellScript's only required parameter).</summary>
    private static List<string> ReadCommands(JsonElement json)
    {
        if (!json.TryGetProperty("Parameters", out var parameters) || parameters.ValueKind != JsonValueKind.Object
            || !parameters.TryGetProperty("commands", out var commands) || commands.ValueKind != JsonValueKind.Array)
        {
            throw new ApiException("InvalidParameters", "Parameter \"commands\" is required for document AWS-RunShellScript.");
        }

        var lines = commands.EnumerateArray().Select(l => l.ValueKind == JsonValueKind.String ? l.GetString()! : throw new ApiException("InvalidParameters", "Parameter \"commands\" must be a list of strings.")).ToList();
        if (lines.Count == 0)
        {
            throw new ApiException("InvalidParameters", "Parameter \"commands\" is required for document AWS-RunShellScript.");
        }

        return lines;
    }

    private static List<string> ReadStrings(JsonElement json, string name)
    {
        if (!json.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString()! : throw new ApiException("SerializationException", $"Expected a list of strings for {name}.")).ToList();
    }

    private static string RequiredString(JsonElement json, string name)
    {
        if (json.ValueKind != JsonValueKind.Object || !json.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(value.GetString()))
        {
            throw Missing(name);
        }

        return value.GetString()!;
    }

    private static ApiException Missing(string name) =>
        new("ValidationException", $"1 validation error detected: Value null at '{char.ToLowerInvariant(name[0]) + name[1..]}' failed to satisfy constraint: Member must not be null");

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];

    /// <summary>JSON 1.1 timestamps are epoch seconds.</summary>
    private static double Epoch(DateTimeOffset value) => Math.Round(value.ToUnixTimeMilliseconds() / 1000.0, 3);
}
