using System.Globalization;
using System.Xml.Linq;
using Amazon;

namespace LabPortal.Aws.Core;

/// <summary>
/// Reads members of Query and EC2 XML responses by local name (namespaces are ignored, as botocore's
/// parsers do). Used by the generated <c>ReadXml</c> methods of the response records.
/// </summary>
public static class XmlRead
{
    /// <summary>The first child element with the given local name, or null.</summary>
    /// <param name="parent">The parent element.</param>
    /// <param name="name">The local name.</param>
    /// <returns>The element or null.</returns>
    public static XElement? Child(XElement? parent, string name)
    {
        if (parent is null)
        {
            return null;
        }

        foreach (var e in parent.Elements())
        {
            if (e.Name.LocalName == name)
            {
                return e;
            }
        }

        return null;
    }

    /// <summary>Reads a string member.</summary>
    /// <param name="parent">The parent element.</param>
    /// <param name="name">The member's element name.</param>
    /// <returns>The text, or null when absent.</returns>
    public static string? ReadString(XElement parent, string name) => Child(parent, name)?.Value;

    /// <summary>Reads an integer member.</summary>
    /// <param name="parent">The parent element.</param>
    /// <param name="name">The member's element name.</param>
    /// <returns>The value, or null when absent or empty.</returns>
    public static int? ReadInt(XElement parent, string name) => Child(parent, name) is { } e ? IntValue(e) : null;

    /// <summary>Reads a long member.</summary>
    /// <param name="parent">The parent element.</param>
    /// <param name="name">The member's element name.</param>
    /// <returns>The value, or null.</returns>
    public static long? ReadLong(XElement parent, string name) => Child(parent, name) is { } e ? LongValue(e) : null;

    /// <summary>Reads a double member.</summary>
    /// <param name="parent">The parent element.</param>
    /// <param name="name">The member's element name.</param>
    /// <returns>The value, or null.</returns>
    public static double? ReadDouble(XElement parent, string name) => Child(parent, name) is { } e ? DoubleValue(e) : null;

    /// <summary>Reads a boolean member (<c>true</c>/<c>false</c>).</summary>
    /// <param name="parent">The parent element.</param>
    /// <param name="name">The member's element name.</param>
    /// <returns>The value, or null.</returns>
    public static bool? ReadBool(XElement parent, string name) => Child(parent, name) is { } e ? BoolValue(e) : null;

    /// <summary>Reads an ISO 8601 timestamp member.</summary>
    /// <param name="parent">The parent element.</param>
    /// <param name="name">The member's element name.</param>
    /// <returns>The value, or null.</returns>
    public static DateTimeOffset? ReadTimestamp(XElement parent, string name) => Child(parent, name) is { } e ? TimestampValue(e) : null;

    /// <summary>Reads a timestamp child as a UTC <see cref="DateTime"/>, the AWS SDK for .NET's type.</summary>
    /// <param name="parent">The parent element.</param>
    /// <param name="name">The child's local name.</param>
    /// <returns>The UTC time, or null when absent or empty.</returns>
    public static DateTime? ReadDateTime(XElement parent, string name) => ReadTimestamp(parent, name)?.UtcDateTime;

    /// <summary>What an absent list reads as: empty when <see cref="AWSConfigs.InitializeCollections"/> is on (the portal's choice), else null, as in the SDK v4.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <returns>An empty list or null.</returns>
    public static List<T>? AbsentList<T>() => AWSConfigs.InitializeCollections ? [] : null;

    /// <summary>What an absent map reads as: empty when <see cref="AWSConfigs.InitializeCollections"/> is on, else null.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <returns>An empty map or null.</returns>
    public static Dictionary<string, T>? AbsentMap<T>() => AWSConfigs.InitializeCollections ? new Dictionary<string, T>(StringComparer.Ordinal) : null;

    /// <summary>Reads a structure member with <paramref name="read"/>.</summary>
    /// <typeparam name="T">The structure type.</typeparam>
    /// <param name="parent">The parent element.</param>
    /// <param name="name">The member's element name.</param>
    /// <param name="read">The structure reader.</param>
    /// <returns>The structure, or null.</returns>
    public static T? ReadStruct<T>(XElement parent, string name, Func<XElement, T> read)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(read);
        return Child(parent, name) is { } e ? read(e) : null;
    }

    /// <summary>
    /// Reads a list member: <c>&lt;name&gt;&lt;item/&gt;...&lt;/name&gt;</c>, or for a flattened list
    /// every child of <paramref name="parent"/> named <paramref name="itemName"/>.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="parent">The parent element.</param>
    /// <param name="name">The list's element name.</param>
    /// <param name="itemName">The element name of each item (<c>member</c>, <c>item</c>).</param>
    /// <param name="flattened">Whether the list is flattened into the parent.</param>
    /// <param name="read">Reads one item.</param>
    /// <returns>The items, or null when the list element is absent.</returns>
    public static List<T>? ReadList<T>(XElement parent, string name, string itemName, bool flattened, Func<XElement, T> read)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(read);
        var container = flattened ? parent : Child(parent, name);
        if (container is null)
        {
            return null;
        }

        var items = container.Elements().Where(e => e.Name.LocalName == itemName).Select(read).ToList();
        return flattened && items.Count == 0 ? null : items;
    }

    /// <summary>Reads a map member: <c>&lt;name&gt;&lt;entry&gt;&lt;key/&gt;&lt;value/&gt;&lt;/entry&gt;...</c>.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="parent">The parent element.</param>
    /// <param name="name">The map's element name.</param>
    /// <param name="flattened">Whether entries sit directly in the parent.</param>
    /// <param name="keyName">The key element name.</param>
    /// <param name="valueName">The value element name.</param>
    /// <param name="read">Reads one value.</param>
    /// <returns>The map, or null when absent.</returns>
    public static Dictionary<string, T>? ReadMap<T>(XElement parent, string name, bool flattened, string keyName, string valueName, Func<XElement, T> read)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(read);
        var entries = flattened
            ? parent.Elements().Where(e => e.Name.LocalName == name)
            : Child(parent, name)?.Elements().Where(e => e.Name.LocalName == "entry");
        if (entries is null)
        {
            return null;
        }

        var map = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var key = ReadString(entry, keyName);
            if (key is not null && Child(entry, valueName) is { } value)
            {
                map[key] = read(value);
            }
        }

        return map;
    }

    /// <summary>The text of an element.</summary>
    /// <param name="e">The element.</param>
    /// <returns>Its text.</returns>
    public static string StringValue(XElement e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.Value;
    }

    /// <summary>The integer value of an element.</summary>
    /// <param name="e">The element.</param>
    /// <returns>The value, or null when empty.</returns>
    public static int? IntValue(XElement e) =>
        string.IsNullOrWhiteSpace(e?.Value) ? null : int.Parse(e.Value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture);

    /// <summary>The long value of an element.</summary>
    /// <param name="e">The element.</param>
    /// <returns>The value, or null when empty.</returns>
    public static long? LongValue(XElement e) =>
        string.IsNullOrWhiteSpace(e?.Value) ? null : long.Parse(e.Value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture);

    /// <summary>The double value of an element.</summary>
    /// <param name="e">The element.</param>
    /// <returns>The value, or null when empty.</returns>
    public static double? DoubleValue(XElement e) =>
        string.IsNullOrWhiteSpace(e?.Value) ? null : double.Parse(e.Value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>The boolean value of an element.</summary>
    /// <param name="e">The element.</param>
    /// <returns>The value, or null when empty.</returns>
    public static bool? BoolValue(XElement e) =>
        string.IsNullOrWhiteSpace(e?.Value) ? null : string.Equals(e.Value.Trim(), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The ISO 8601 (or epoch seconds) timestamp value of an element.</summary>
    /// <param name="e">The element.</param>
    /// <returns>The value, or null when empty.</returns>
    public static DateTimeOffset? TimestampValue(XElement e)
    {
        if (string.IsNullOrWhiteSpace(e?.Value))
        {
            return null;
        }

        var text = e.Value.Trim();
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return DateTimeOffset.UnixEpoch.AddSeconds(seconds);
        }

        return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
    }
}
