using System.Text.Json.Nodes;
using LabPortal.Sandbox.Services.Ec2;
using LabPortal.Sandbox.State;
using LabPortal.Sandbox.Wire;

namespace LabPortal.Sandbox.Services.Ssm;

/// <summary>Run Command's SendCommand: the document, the script, the instances it goes to (ids or targets), and its start.</summary>
public sealed partial class SsmService
{
    private async Task<ApiResult> SendCommandAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var json = request.Json;
        var document = SsmJsonInput.RequiredString(json, "DocumentName");
        if (document != RunShellScript)
        {
            throw new ApiException("InvalidDocument", $"Document {QueryParameters.Shorten(document)} does not exist in your account. This sandbox runs {RunShellScript}.");
        }

        var lines = SsmJsonInput.ReadCommands(json);
        var instanceIds = SsmJsonInput.ReadStrings(json, "InstanceIds");
        var targets = SsmJsonInput.ReadTargets(json);
        if (instanceIds.Count == 0 && targets.Count == 0)
        {
            throw new ApiException("ValidationException", "Either InstanceIds or Targets must be specified.");
        }

        if (instanceIds.Count > 0 && targets.Count > 0)
        {
            throw new ApiException("ValidationException", "InstanceIds and Targets cannot be specified together.");
        }

        // MaxConcurrency and MaxErrors default to 50 and 0 only when not given (SendCommand API reference; verified against AWS, issue 19).
        var maxConcurrency = SsmJsonInput.OptionalString(json, "MaxConcurrency") ?? "50";
        var maxErrors = SsmJsonInput.OptionalString(json, "MaxErrors") ?? "0";
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
        _runner.Schedule(scope, request.Region, command, instanceIds);
        return ApiResult.Json(new JsonObject { ["Command"] = SsmShapes.CommandJson(command, request.Region) });
    }

    /// <summary>A managed instance: running, with an instance profile and a booted machine (its agent).</summary>
    private bool IsManaged(AccountScope scope, ApiRequest request, string instanceId) =>
        _ec2.FindInstance(scope, request.Region, instanceId) is { State: Ec2InstanceState.Running, IamInstanceProfileArn: not null }
        && _ec2.GetMachine(request.AccountId, instanceId) is not null;

    /// <summary>
    /// The instances that Targets select: <c>InstanceIds</c>, <c>tag:Key</c> (any of the values) and
    /// <c>tag-key</c>, every key required (Run Command user guide, "Targets"). Running instances only.
    /// </summary>
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

    [System.Text.RegularExpressions.GeneratedRegex("^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$")]
    private static partial System.Text.RegularExpressions.Regex RateOrCount();

    [System.Text.RegularExpressions.GeneratedRegex("^([1-9][0-9]*|[0]|[1-9][0-9]%|[0-9]%|100%)$")]
    private static partial System.Text.RegularExpressions.Regex ErrorsPattern();
}
