using System.Text;
using System.Text.Json;

namespace LabPortal.Sandbox.Wire.Validation;

/// <summary>
/// Checks a JSON 1.1 request (SSM) against its botocore input shape before the handler runs. A value
/// of the wrong JSON type is a <c>SerializationException</c> (AWS's JSON services cannot deserialize it
/// into the request); a well-typed value that breaks a length, range, pattern or required constraint
/// is one <c>ValidationException</c> listing every violation. Members the model does not know are
/// ignored, as AWS ignores them.
/// </summary>
internal static class JsonModelValidator
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// A JSON body must be UTF-8 (RFC 8259 section 8.1). Checked on the raw bytes, before parsing: the
    /// parser accepts invalid sequences inside strings and only fails when a handler reads them.
    /// </summary>
    public static void RequireUtf8(byte[] body)
    {
        try
        {
            StrictUtf8.GetCharCount(body);
        }
        catch (DecoderFallbackException)
        {
            throw new ApiException("SerializationException", "The request body is not valid UTF-8.");
        }
    }

    public static void Validate(string signingName, string operation, JsonElement body)
    {
        if (ServiceModels.InputOf(signingName, operation) is not { } input)
        {
            return;
        }

        var errors = new ConstraintErrors();
        Value(signingName, input, body, string.Empty, errors);
        if (errors.ToException("ValidationException") is { } error)
        {
            throw error;
        }
    }

    private static void Value(string service, ModelShape shape, JsonElement value, string path, ConstraintErrors errors)
    {
        switch (shape.Type)
        {
            case "structure":
                Expect(value, JsonValueKind.Object, "a structure", path);
                foreach (var (member, shapeName) in shape.Members)
                {
                    var memberPath = ConstraintErrors.PathOf(path, member);
                    if (!value.TryGetProperty(member, out var item) || item.ValueKind == JsonValueKind.Null)
                    {
                        if (shape.Required.Contains(member))
                        {
                            errors.Add(memberPath, null, "Member must not be null");
                        }

                        continue;
                    }

                    Value(service, ServiceModels.Shape(service, shapeName), item, memberPath, errors);
                }

                return;
            case "list":
                Expect(value, JsonValueKind.Array, "a list", path);
                var count = value.GetArrayLength();
                errors.Bounds(shape, path, Describe(value), count, isLength: true);
                var itemShape = ServiceModels.Shape(service, shape.Member!);
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    index++;
                    var itemPath = $"{path}.{index}.member";
                    if (item.ValueKind == JsonValueKind.Null)
                    {
                        errors.Add(path, Describe(value), "Member must satisfy constraint: [Member must not be null]");
                        continue;
                    }

                    Value(service, itemShape, item, itemPath, errors);
                }

                return;
            case "map":
                Expect(value, JsonValueKind.Object, "a map", path);
                var entries = value.EnumerateObject().ToList();
                errors.Bounds(shape, path, $"{{{entries.Count} entries}}", entries.Count, isLength: true);
                var keyShape = ServiceModels.Shape(service, shape.Key!);
                var valueShape = ServiceModels.Shape(service, shape.Value!);
                foreach (var entry in entries)
                {
                    errors.Bounds(keyShape, path, entry.Name, entry.Name.Length, isLength: true);
                    errors.Pattern(keyShape, path, entry.Name);
                    if (entry.Value.ValueKind != JsonValueKind.Null)
                    {
                        Value(service, valueShape, entry.Value, $"{path}.{entry.Name}", errors);
                    }
                }

                return;
            case "string":
                Expect(value, JsonValueKind.String, "a String", path);
                var text = value.GetString()!;
                errors.Bounds(shape, path, text, text.Length, isLength: true);
                errors.Pattern(shape, path, text);
                return;
            case "integer" or "long":
                Expect(value, JsonValueKind.Number, shape.Type == "integer" ? "an Integer" : "a Long", path);
                if (!value.TryGetInt64(out var number) || (shape.Type == "integer" && number is < int.MinValue or > int.MaxValue))
                {
                    throw Serialization($"NUMBER_VALUE {QueryParameters.Shorten(value.GetRawText())} can not be converted to {(shape.Type == "integer" ? "an Integer" : "a Long")}", path);
                }

                errors.Bounds(shape, path, value.GetRawText(), number, isLength: false);
                return;
            case "double" or "float":
                Expect(value, JsonValueKind.Number, "a Double", path);
                errors.Bounds(shape, path, value.GetRawText(), value.GetDouble(), isLength: false);
                return;
            case "boolean":
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    throw Serialization($"{Token(value)} can not be converted to a Boolean", path);
                }

                return;
            case "timestamp":
                // JSON 1.1 timestamps are epoch seconds; AWS also reads ISO 8601 strings.
                if (value.ValueKind is not (JsonValueKind.Number or JsonValueKind.String))
                {
                    throw Serialization($"{Token(value)} can not be converted to a Timestamp", path);
                }

                return;
            case "blob":
                Expect(value, JsonValueKind.String, "a Blob", path);
                return;
            default:
                return;
        }
    }

    private static void Expect(JsonElement value, JsonValueKind kind, string target, string path)
    {
        if (value.ValueKind == kind)
        {
            return;
        }

        // The wording of AWS's JSON deserializer: "Start of list found where not expected",
        // "STRING_VALUE can not be converted to an Integer".
        throw value.ValueKind switch
        {
            JsonValueKind.Array => Serialization("Start of list found where not expected", path),
            JsonValueKind.Object => Serialization("Start of structure or map found where not expected", path),
            _ => Serialization($"{Token(value)} can not be converted to {target}", path),
        };
    }

    private static string Token(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "STRING_VALUE",
        JsonValueKind.Number => "NUMBER_VALUE",
        JsonValueKind.True => "VALUE_TRUE",
        JsonValueKind.False => "VALUE_FALSE",
        JsonValueKind.Array => "START_ARRAY",
        JsonValueKind.Object => "START_OBJECT",
        _ => "VALUE_NULL",
    };

    private static ApiException Serialization(string message, string path) =>
        new("SerializationException", path.Length == 0 ? message + "." : $"{message} (at '{path}').");

    private static string Describe(JsonElement list)
    {
        var items = list.EnumerateArray().Take(10).Select(i => i.ValueKind switch
        {
            JsonValueKind.String => i.GetString(),
            JsonValueKind.Null => "null",
            _ => i.GetRawText(),
        });
        return "[" + string.Join(", ", items) + "]";
    }
}
