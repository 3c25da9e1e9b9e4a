using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LabPortal.Aws.Core;

/// <summary>
/// System.Text.Json settings of the JSON 1.1 protocol: member names as the model spells them,
/// nulls omitted, timestamps as epoch seconds (botocore's <c>unixtimestamp</c>).
/// </summary>
public static class AwsJson
{
    /// <summary>The serializer options for request and response records.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new EpochSecondsConverter() },
    };

    private sealed class EpochSecondsConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Number)
            {
                return DateTimeOffset.UnixEpoch.AddSeconds(reader.GetDouble());
            }

            return DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        }

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteNumberValue(value.ToUnixTimeMilliseconds() / 1000.0);
    }
}
