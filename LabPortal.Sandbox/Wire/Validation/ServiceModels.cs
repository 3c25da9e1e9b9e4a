using System.Collections.Frozen;
using System.Text.Json;

namespace LabPortal.Sandbox.Wire.Validation;

/// <summary>
/// The request shapes of the Query and JSON services (ELBv2, Auto Scaling, SSM) and EC2's documented
/// filter names, generated from botocore's models by <c>Wire/Models/generate_shapes.py</c> and embedded
/// in the assembly. Loaded once, on first use.
/// </summary>
internal static class ServiceModels
{
    private static readonly Lazy<Loaded> Data = new(Load);

    /// <summary>The input shape of <paramref name="operation"/> of the service signed as <paramref name="signingName"/>, or null when the model has none.</summary>
    public static ModelShape? InputOf(string signingName, string operation) =>
        Data.Value.Services.TryGetValue(signingName, out var service) && service.Operations.TryGetValue(operation, out var input)
            ? service.Shapes[input]
            : null;

    public static ModelShape Shape(string signingName, string name) => Data.Value.Services[signingName].Shapes[name];

    /// <summary>Every shape of every service, for tests that check each pattern compiles.</summary>
    public static IEnumerable<ModelShape> AllShapes => Data.Value.Services.Values.SelectMany(s => s.Shapes.Values);

    /// <summary>The filter names EC2's current model documents for a Describe operation (empty when it documents none).</summary>
    public static IReadOnlySet<string> Ec2DocumentedFilters(string operation) =>
        Data.Value.Ec2Filters.TryGetValue(operation, out var names) ? names : FrozenSet<string>.Empty;

    private sealed record Service(FrozenDictionary<string, string> Operations, FrozenDictionary<string, ModelShape> Shapes);

    private sealed record Loaded(FrozenDictionary<string, Service> Services, FrozenDictionary<string, FrozenSet<string>> Ec2Filters);

    private static Loaded Load()
    {
        using var stream = typeof(ServiceModels).Assembly.GetManifestResourceStream("LabPortal.Sandbox.input-shapes.json")
            ?? throw new InvalidOperationException("The embedded service models are missing from the assembly.");
        using var document = JsonDocument.Parse(stream);
        var services = new Dictionary<string, Service>(StringComparer.Ordinal);
        var filters = new Dictionary<string, FrozenSet<string>>(StringComparer.Ordinal);
        foreach (var entry in document.RootElement.EnumerateObject())
        {
            if (entry.Name == "ec2Filters")
            {
                foreach (var op in entry.Value.EnumerateObject())
                {
                    filters[op.Name] = op.Value.EnumerateArray().Select(n => n.GetString()!).ToFrozenSet(StringComparer.Ordinal);
                }

                continue;
            }

            var operations = entry.Value.GetProperty("operations").EnumerateObject().ToFrozenDictionary(o => o.Name, o => o.Value.GetString()!, StringComparer.Ordinal);
            var shapes = entry.Value.GetProperty("shapes").EnumerateObject().ToFrozenDictionary(s => s.Name, s => ReadShape(s.Name, s.Value), StringComparer.Ordinal);
            services[entry.Name] = new Service(operations, shapes);
        }

        return new Loaded(services.ToFrozenDictionary(StringComparer.Ordinal), filters.ToFrozenDictionary(StringComparer.Ordinal));
    }

    private static ModelShape ReadShape(string name, JsonElement json) => new()
    {
        Name = name,
        Type = json.GetProperty("type").GetString()!,
        Min = json.TryGetProperty("min", out var min) ? min.GetDouble() : null,
        Max = json.TryGetProperty("max", out var max) ? max.GetDouble() : null,
        Pattern = json.TryGetProperty("pattern", out var pattern) ? pattern.GetString() : null,
        Members = json.TryGetProperty("members", out var members)
            ? members.EnumerateObject().ToDictionary(m => m.Name, m => m.Value.GetString()!, StringComparer.Ordinal)
            : new Dictionary<string, string>(),
        Required = json.TryGetProperty("required", out var required)
            ? required.EnumerateArray().Select(r => r.GetString()!).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(),
        Member = json.TryGetProperty("member", out var member) ? member.GetString() : null,
        Key = json.TryGetProperty("key", out var key) ? key.GetString() : null,
        Value = json.TryGetProperty("value", out var value) ? value.GetString() : null,
        Flattened = json.TryGetProperty("flattened", out var flattened) && flattened.GetBoolean(),
    };
}
