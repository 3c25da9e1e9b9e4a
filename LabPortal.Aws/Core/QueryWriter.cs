using System.Globalization;
using System.Text;

namespace LabPortal.Aws.Core;

/// <summary>
/// Collects the form parameters of a Query or EC2 request in botocore's order
/// (<c>Action</c>, <c>Version</c>, then members as the model lists them).
/// </summary>
public sealed class QueryWriter
{
    private readonly List<KeyValuePair<string, string>> _parameters = [];

    /// <summary>Starts a request body with <c>Action</c> and <c>Version</c>.</summary>
    /// <param name="action">The AWS action name.</param>
    /// <param name="apiVersion">The API version.</param>
    public QueryWriter(string action, string apiVersion)
    {
        Add("Action", action);
        Add("Version", apiVersion);
    }

    /// <summary>The parameters in the order they were written.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters => _parameters;

    /// <summary>Adds a string parameter when <paramref name="value"/> is not null.</summary>
    /// <param name="name">The wire name.</param>
    /// <param name="value">The value.</param>
    public void Add(string name, string? value)
    {
        if (value is not null)
        {
            _parameters.Add(new(name, value));
        }
    }

    /// <summary>Adds an integer parameter when present.</summary>
    /// <param name="name">The wire name.</param>
    /// <param name="value">The value.</param>
    public void Add(string name, int? value) => Add(name, value?.ToString(CultureInfo.InvariantCulture));

    /// <summary>Adds a long parameter when present.</summary>
    /// <param name="name">The wire name.</param>
    /// <param name="value">The value.</param>
    public void Add(string name, long? value) => Add(name, value?.ToString(CultureInfo.InvariantCulture));

    /// <summary>Adds a double parameter when present.</summary>
    /// <param name="name">The wire name.</param>
    /// <param name="value">The value.</param>
    public void Add(string name, double? value) => Add(name, value?.ToString("R", CultureInfo.InvariantCulture));

    /// <summary>Adds a boolean parameter (<c>true</c>/<c>false</c>) when present.</summary>
    /// <param name="name">The wire name.</param>
    /// <param name="value">The value.</param>
    public void Add(string name, bool? value) => Add(name, value is null ? null : value.Value ? "true" : "false");

    /// <summary>Adds an ISO 8601 timestamp parameter when present.</summary>
    /// <param name="name">The wire name.</param>
    /// <param name="value">The value.</param>
    public void Add(string name, DateTime? value) => Add(name, value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, v.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : v.Kind)) : null);

    /// <summary>Adds an ISO 8601 timestamp parameter when present.</summary>
    /// <param name="name">The parameter name.</param>
    /// <param name="value">The time.</param>
    public void Add(string name, DateTimeOffset? value) =>
        Add(name, value?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));

    /// <summary>
    /// Adds a list. <paramref name="memberName"/> null means flattened (<c>Name.N</c>, as the EC2
    /// protocol always does); otherwise <c>Name.member.N</c>. An empty list is written as
    /// <c>Name=</c> when <paramref name="emptyAsBlank"/> (the query protocol) and omitted otherwise (EC2).
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="name">The wire name of the list.</param>
    /// <param name="items">The items, or null to write nothing.</param>
    /// <param name="memberName">The element segment, or null for flattened lists.</param>
    /// <param name="emptyAsBlank">Whether an empty list is written as a blank parameter.</param>
    /// <param name="write">Writes one element under the given prefix.</param>
    public void AddList<T>(string name, IReadOnlyList<T>? items, string? memberName, bool emptyAsBlank, Action<QueryWriter, string, T> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (items is null)
        {
            return;
        }

        if (items.Count == 0)
        {
            if (emptyAsBlank)
            {
                _parameters.Add(new(name, string.Empty));
            }

            return;
        }

        var prefix = memberName is null ? name : name + "." + memberName;
        for (var i = 0; i < items.Count; i++)
        {
            write(this, prefix + "." + (i + 1).ToString(CultureInfo.InvariantCulture), items[i]);
        }
    }

    /// <summary>Adds a map as <c>Name.entry.N.key</c> / <c>Name.entry.N.value</c> (or flattened <c>Name.N.key</c>).</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="name">The wire name of the map.</param>
    /// <param name="map">The entries, or null.</param>
    /// <param name="flattened">Whether the map is flattened.</param>
    /// <param name="keyName">The key segment name.</param>
    /// <param name="valueName">The value segment name.</param>
    /// <param name="write">Writes one value under the given prefix.</param>
    public void AddMap<T>(string name, IReadOnlyDictionary<string, T>? map, bool flattened, string keyName, string valueName, Action<QueryWriter, string, T> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (map is null)
        {
            return;
        }

        var prefix = flattened ? name : name + ".entry";
        var i = 1;
        foreach (var (key, value) in map)
        {
            var entry = prefix + "." + i.ToString(CultureInfo.InvariantCulture) + ".";
            Add(entry + keyName, key);
            write(this, entry + valueName, value);
            i++;
        }
    }

    /// <summary>The body as <c>application/x-www-form-urlencoded</c> with RFC 3986 encoding.</summary>
    /// <returns>The encoded body.</returns>
    public string ToFormBody()
    {
        var sb = new StringBuilder();
        foreach (var (key, value) in _parameters)
        {
            if (sb.Length > 0)
            {
                sb.Append('&');
            }

            sb.Append(SigV4Signer.UriEncode(key)).Append('=').Append(SigV4Signer.UriEncode(value));
        }

        return sb.ToString();
    }
}
