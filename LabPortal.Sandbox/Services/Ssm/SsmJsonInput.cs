using System.Text.Json;
using LabPortal.Sandbox.Wire;

namespace LabPortal.Sandbox.Services.Ssm;

/// <summary>Reads SSM's JSON 1.1 input, answering a missing or mistyped member with SSM's own error.</summary>
internal static class SsmJsonInput
{
    /// <summary>Parameters.commands: the script's lines (AWS-RunShellScript's only required parameter).</summary>
    public static List<string> ReadCommands(JsonElement json)
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

    public static List<string> ReadStrings(JsonElement json, string name)
    {
        if (!json.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString()! : throw new ApiException("SerializationException", $"Expected a list of strings for {name}.")).ToList();
    }

    public static string RequiredString(JsonElement json, string name)
    {
        if (json.ValueKind != JsonValueKind.Object || !json.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(value.GetString()))
        {
            throw Missing(name);
        }

        return value.GetString()!;
    }

    public static ApiException Missing(string name) =>
        new("ValidationException", $"1 validation error detected: Value null at '{char.ToLowerInvariant(name[0]) + name[1..]}' failed to satisfy constraint: Member must not be null");

    public static string? OptionalString(JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static List<SsmTarget> ReadTargets(JsonElement json)
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
}
