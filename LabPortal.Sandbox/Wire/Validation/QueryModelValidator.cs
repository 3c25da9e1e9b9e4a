using System.Globalization;

namespace LabPortal.Sandbox.Wire.Validation;

/// <summary>
/// Checks a Query-protocol request (ELBv2, Auto Scaling) against its botocore input shape before the
/// handler runs: numbers and booleans parse as AWS's (ASCII digits only), lengths, ranges and patterns
/// hold, required members are present. Violations become one <c>ValidationError</c>, as those services
/// answer (ELBv2 and Auto Scaling API references, "Common Errors").
/// </summary>
internal static class QueryModelValidator
{
    public static void Validate(string signingName, string operation, IReadOnlyDictionary<string, string> parameters)
    {
        if (ServiceModels.InputOf(signingName, operation) is not { } input)
        {
            return;
        }

        var errors = new ConstraintErrors();
        var keys = parameters.Keys.ToList();
        Structure(signingName, input, string.Empty, string.Empty, parameters, keys, errors);
        if (errors.ToException("ValidationError") is { } error)
        {
            throw error;
        }
    }

    private static void Structure(string service, ModelShape shape, string prefix, string path, IReadOnlyDictionary<string, string> parameters, List<string> keys, ConstraintErrors errors)
    {
        foreach (var (member, shapeName) in shape.Members)
        {
            var key = prefix + member;
            var memberPath = ConstraintErrors.PathOf(path, member);
            var memberShape = ServiceModels.Shape(service, shapeName);
            var nested = key + ".";
            var present = parameters.ContainsKey(key) || keys.Exists(k => k.StartsWith(nested, StringComparison.Ordinal));
            if (!present)
            {
                if (shape.Required.Contains(member))
                {
                    errors.Add(memberPath, null, "Member must not be null");
                }

                continue;
            }

            Value(service, memberShape, key, memberPath, parameters, keys, errors);
        }
    }

    private static void Value(string service, ModelShape shape, string key, string path, IReadOnlyDictionary<string, string> parameters, List<string> keys, ConstraintErrors errors)
    {
        switch (shape.Type)
        {
            case "structure":
                Structure(service, shape, key + ".", path, parameters, keys, errors);
                return;
            case "list":
                List(service, shape, key, path, parameters, keys, errors);
                return;
            case "map":
                var entries = Indexes(keys, key + ".entry.");
                errors.Bounds(shape, path, $"[{entries.Count} entries]", entries.Count, isLength: true);
                return;
            default:
                if (parameters.TryGetValue(key, out var raw))
                {
                    Scalar(shape, path, raw, errors);
                }

                return;
        }
    }

    private static void List(string service, ModelShape shape, string key, string path, IReadOnlyDictionary<string, string> parameters, List<string> keys, ConstraintErrors errors)
    {
        var itemPrefix = shape.Flattened ? key + "." : key + ".member.";
        var indexes = Indexes(keys, itemPrefix);
        errors.Bounds(shape, path, $"[{indexes.Count} items]", indexes.Count, isLength: true);
        var member = ServiceModels.Shape(service, shape.Member!);
        foreach (var index in indexes)
        {
            var itemKey = itemPrefix + index.ToString(CultureInfo.InvariantCulture);
            Value(service, member, itemKey, $"{path}.{index.ToString(CultureInfo.InvariantCulture)}.member", parameters, keys, errors);
        }
    }

    private static void Scalar(ModelShape shape, string path, string raw, ConstraintErrors errors)
    {
        switch (shape.Type)
        {
            case "string":
                errors.Bounds(shape, path, raw, raw.Length, isLength: true);
                errors.Pattern(shape, path, raw);
                break;
            case "integer" or "long":
                if (!AsciiNumber.TryParseInt64(raw, out var number) || (shape.Type == "integer" && number is < int.MinValue or > int.MaxValue))
                {
                    errors.Add(path, raw, $"Member must be {(shape.Type == "integer" ? "an integer" : "a long integer")} written in ASCII digits");
                    break;
                }

                errors.Bounds(shape, path, raw, number, isLength: false);
                break;
            case "double" or "float":
                if (!AsciiNumber.TryParseDouble(raw, out var real))
                {
                    errors.Add(path, raw, "Member must be a number written in ASCII digits");
                    break;
                }

                errors.Bounds(shape, path, raw, real, isLength: false);
                break;
            case "boolean":
                // Exactly true or false in any casing; bool.TryParse would also take surrounding whitespace ("true\n").
                if (!raw.Equals("true", StringComparison.OrdinalIgnoreCase) && !raw.Equals("false", StringComparison.OrdinalIgnoreCase))
                {
                    errors.Add(path, raw, "Member must be 'true' or 'false'");
                }

                break;
            default:
                break;
        }
    }

    /// <summary>The 1-based item indexes under <paramref name="prefix"/> (AWS lists start at 1; anything else is not an item).</summary>
    private static SortedSet<long> Indexes(List<string> keys, string prefix)
    {
        var indexes = new SortedSet<long>();
        foreach (var key in keys)
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var rest = key.AsSpan(prefix.Length);
            var dot = rest.IndexOf('.');
            if (long.TryParse(dot < 0 ? rest : rest[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index >= 1)
            {
                indexes.Add(index);
                if (indexes.Count > QueryParameters.MaxListItems)
                {
                    throw new ApiException("ValidationError", $"A list can hold at most {QueryParameters.MaxListItems} items ({QueryParameters.Shorten(prefix)}).");
                }
            }
        }

        return indexes;
    }
}
