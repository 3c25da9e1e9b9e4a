using LabPortal.Sandbox.Wire;

namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>EC2 tag rules (EC2 user guide, "Tag restrictions").</summary>
public static class Ec2Tags
{
    public const int MaxTagsPerResource = 50;

    public static void Validate(IReadOnlyDictionary<string, string> tags)
    {
        if (tags.Count > MaxTagsPerResource)
        {
            throw new ApiException("TagLimitExceeded", $"The maximum number of tags per resource is {MaxTagsPerResource}.");
        }

        foreach (var (key, value) in tags)
        {
            ValidateKey(key);
            if (value.Length > 256)
            {
                throw new ApiException("InvalidParameterValue", $"Tag value exceeds the maximum length of 256 characters");
            }
        }
    }

    public static void ValidateKey(string key)
    {
        if (key.Length == 0 || key.Length > 128)
        {
            throw new ApiException("InvalidParameterValue", $"Tag key must be between 1 and 128 characters long: '{QueryParameters.Shorten(key)}'");
        }

        if (key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiException("InvalidParameterValue", "Tag keys starting with 'aws:' are reserved for internal use");
        }
    }

    /// <summary>
    /// Reads <c>TagSpecification.N.ResourceType</c> + <c>Tag.M.Key/Value</c>, returning tags by
    /// resource type; any type outside <paramref name="allowedTypes"/> is refused as EC2 does.
    /// </summary>
    public static Dictionary<string, Dictionary<string, string>> ReadSpecifications(QueryParameters parameters, string name, params string[] allowedTypes)
    {
        var result = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var spec in parameters.GetStructs(name))
        {
            var type = spec.GetRequired("ResourceType");
            if (!allowedTypes.Contains(type, StringComparer.Ordinal))
            {
                throw new ApiException("InvalidParameterValue", $"'{QueryParameters.Shorten(type)}' is not a valid taggable resource type for this operation.");
            }

            var tags = result.TryGetValue(type, out var existing) ? existing : result[type] = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in spec.GetTags("Tag"))
            {
                tags[key] = value ?? string.Empty;
            }

            Validate(tags);
        }

        return result;
    }
}
