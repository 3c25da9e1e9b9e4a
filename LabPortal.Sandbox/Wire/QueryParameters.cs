using System.Globalization;
using System.Xml;

namespace LabPortal.Sandbox.Wire;

/// <summary>
/// Reads Query-protocol parameters (form body and query string) with AWS's conventions, and turns
/// missing or mistyped values into the service's own validation error.
/// EC2 flattens lists (<c>InstanceId.1</c>, <c>Filter.1.Value.2</c>, <c>TagSpecification.1.Tag.1.Key</c>);
/// the Query services wrap them (<c>Subnets.member.1</c>, <c>Tags.member.1.Key</c>), aws-behaviour.md 4.1.
/// A reader can be scoped to a structure (<see cref="Struct"/>) so nested shapes read the same way.
/// </summary>
public sealed class QueryParameters
{
    /// <summary>Upper bound on list items, so a request with <c>X.999999999</c> cannot make the sandbox allocate.</summary>
    public const int MaxListItems = 1000;

    /// <summary>Upper bound on any single value (user data is 16 KiB raw, about 22 KiB in base64).</summary>
    public const int MaxValueLength = 64 * 1024;

    private readonly IReadOnlyDictionary<string, string> _values;
    private readonly string _prefix;

    public QueryParameters(IReadOnlyDictionary<string, string> values, WireProtocol protocol)
        : this(values, protocol, string.Empty)
    {
    }

    private QueryParameters(IReadOnlyDictionary<string, string> values, WireProtocol protocol, string prefix)
    {
        _values = values;
        Protocol = protocol;
        _prefix = prefix;
    }

    public WireProtocol Protocol { get; }

    /// <summary>Every parameter as received (names unscoped), for the model validation that runs before handlers.</summary>
    internal IReadOnlyDictionary<string, string> Values => _values;

    /// <summary>The full wire name of a member of this (possibly nested) reader.</summary>
    public string NameOf(string name) => _prefix + name;

    /// <summary>The raw value, or null when absent. An empty value counts as present.</summary>
    public string? Get(string name)
    {
        if (!_values.TryGetValue(_prefix + name, out var value))
        {
            return null;
        }

        if (value.Length > MaxValueLength)
        {
            throw Invalid(name, value, $"The value is longer than {MaxValueLength} characters.");
        }

        return value;
    }

    public bool Has(string name) => _values.ContainsKey(_prefix + name);

    /// <summary>True when any parameter lives under <c>name.</c> (a structure or list was sent).</summary>
    public bool HasAny(string name)
    {
        var start = _prefix + name + ".";
        return _values.Keys.Any(k => k.StartsWith(start, StringComparison.Ordinal)) || Has(name);
    }

    public string GetRequired(string name)
    {
        var value = Get(name);
        if (string.IsNullOrEmpty(value))
        {
            throw Missing(name);
        }

        return value;
    }

    /// <summary>An optional string bounded in length, as the model's <c>min</c>/<c>max</c> constraints.</summary>
    public string? GetString(string name, int maxLength)
    {
        var value = Get(name);
        if (value is not null && value.Length > maxLength)
        {
            throw Invalid(name, value, $"It must be at most {maxLength} characters long.");
        }

        return value;
    }

    public int? GetInt(string name, int min = int.MinValue, int max = int.MaxValue)
    {
        var raw = Get(name);
        if (raw is null)
        {
            return null;
        }

        if (!int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw Invalid(name, raw, "Expected: 'Integer'.");
        }

        if (value < min || value > max)
        {
            throw Invalid(name, raw, $"It must be between {min} and {max}.");
        }

        return value;
    }

    public int GetRequiredInt(string name, int min = int.MinValue, int max = int.MaxValue)
    {
        if (!Has(name))
        {
            throw Missing(name);
        }

        return GetInt(name, min, max)!.Value;
    }

    public bool? GetBool(string name)
    {
        var raw = Get(name);
        if (raw is null)
        {
            return null;
        }

        // botocore writes "true"/"false"; AWS also accepts any casing.
        if (bool.TryParse(raw, out var value))
        {
            return value;
        }

        throw Invalid(name, raw, "Expected: 'Boolean'.");
    }

    /// <summary>A list of strings: EC2 <c>Name.N</c>, Query <c>Name.member.N</c>, in index order.</summary>
    public IReadOnlyList<string> GetList(string name)
    {
        var list = new List<string>();
        foreach (var index in Indexes(name))
        {
            var value = Get(ItemName(name, index));
            if (value is not null)
            {
                list.Add(value);
            }
        }

        return list;
    }

    /// <summary>A list of structures; each item is a reader scoped to <c>Name.N.</c> (or <c>Name.member.N.</c>).</summary>
    public IReadOnlyList<QueryParameters> GetStructs(string name)
    {
        return Indexes(name)
            .Select(index => new QueryParameters(_values, Protocol, _prefix + ItemName(name, index) + "."))
            .ToList();
    }

    /// <summary>A reader scoped to the structure <c>Name.</c>.</summary>
    public QueryParameters Struct(string name) => new(_values, Protocol, _prefix + name + ".");

    /// <summary>EC2 <c>Filter.N.Name</c> / <c>Filter.N.Value.M</c>.</summary>
    public IReadOnlyList<QueryFilter> GetFilters(string name = "Filter")
    {
        var filters = new List<QueryFilter>();
        foreach (var item in GetStructs(name))
        {
            var filterName = item.GetRequired("Name");
            filters.Add(new QueryFilter(filterName, item.GetList(Protocol == WireProtocol.Ec2 ? "Value" : "Values")));
        }

        return filters;
    }

    /// <summary>Tags: EC2 <c>Tag.N.Key/Value</c>, Query <c>Tags.member.N.Key/Value</c>. Value may be null (DeleteTags).</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> GetTags(string name)
    {
        return GetStructs(name)
            .Select(item => new KeyValuePair<string, string?>(item.GetRequired("Key"), item.Get("Value")))
            .ToList();
    }

    /// <summary>The service's "missing parameter" error.</summary>
    public ApiException Missing(string name) => Protocol switch
    {
        // EC2 API reference, common client errors: MissingParameter.
        WireProtocol.Ec2 => new ApiException("MissingParameter", $"The request must contain the parameter {NameOf(name)}"),
        _ => new ApiException(
            "ValidationError",
            $"1 validation error detected: Value null at '{NameOf(name)}' failed to satisfy constraint: Member must not be null"),
    };

    /// <summary>The service's "invalid parameter value" error.</summary>
    public ApiException Invalid(string name, string value, string reason) => Protocol switch
    {
        WireProtocol.Ec2 => new ApiException(
            "InvalidParameterValue",
            $"Value ({Shorten(value)}) for parameter {NameOf(name)} is invalid. {reason}"),
        _ => new ApiException(
            "ValidationError",
            $"1 validation error detected: Value '{Shorten(value)}' at '{NameOf(name)}' failed to satisfy constraint: {reason}"),
    };

    /// <summary>Shortens a value quoted back in an error message, so huge inputs do not make huge answers.</summary>
    public static string Shorten(string value)
    {
        var shortened = value.Length <= 100 ? value : string.Concat(value.AsSpan(0, 100), "...");
        return IsXmlSafe(shortened) ? shortened : new string(shortened.Select(c => XmlConvert.IsXmlChar(c) ? c : '?').ToArray());
    }

    /// <summary>True when every character can appear in an XML 1.0 document (so it can be echoed in a response).</summary>
    public static bool IsXmlSafe(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (XmlConvert.IsXmlChar(value[i]))
            {
                continue;
            }

            if (i + 1 < value.Length && XmlConvert.IsXmlSurrogatePair(value[i + 1], value[i]))
            {
                i++;
                continue;
            }

            return false;
        }

        return true;
    }

    private string ItemName(string name, long index) =>
        Protocol == WireProtocol.Ec2 ? $"{name}.{index}" : $"{name}.member.{index}";

    private List<long> Indexes(string name)
    {
        var start = _prefix + (Protocol == WireProtocol.Ec2 ? name + "." : name + ".member.");
        var indexes = new SortedSet<long>();
        foreach (var key in _values.Keys)
        {
            if (!key.StartsWith(start, StringComparison.Ordinal))
            {
                continue;
            }

            var rest = key.AsSpan(start.Length);
            var dot = rest.IndexOf('.');
            var digits = dot < 0 ? rest : rest[..dot];

            // AWS lists are 1-based; anything else under the prefix is not an item.
            if (long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index >= 1)
            {
                indexes.Add(index);
                if (indexes.Count > MaxListItems)
                {
                    throw Invalid(name, key, $"A list can hold at most {MaxListItems} items.");
                }
            }
        }

        return [.. indexes];
    }
}
