using System.Globalization;
using System.Xml;

namespace LabPortal.Sandbox.Wire;

/// <summary>Terse helpers for writing AWS XML members; null values are omitted as AWS omits them.</summary>
public static class XmlWriterExtensions
{
    /// <summary>ISO 8601 with milliseconds and <c>Z</c>, the timestamp format of both XML protocols.</summary>
    public static string FormatTimestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static XmlWriter Element(this XmlWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteElementString(name, value);
        }

        return writer;
    }

    public static XmlWriter Element(this XmlWriter writer, string name, long? value) =>
        writer.Element(name, value?.ToString(CultureInfo.InvariantCulture));

    public static XmlWriter Element(this XmlWriter writer, string name, bool? value) =>
        writer.Element(name, value is null ? null : value.Value ? "true" : "false");

    public static XmlWriter Element(this XmlWriter writer, string name, DateTimeOffset? value) =>
        writer.Element(name, value is null ? null : FormatTimestamp(value.Value));

    /// <summary>A structure element whose children <paramref name="writeChildren"/> writes.</summary>
    public static XmlWriter Struct(this XmlWriter writer, string name, Action<XmlWriter> writeChildren)
    {
        writer.WriteStartElement(name);
        writeChildren(writer);
        writer.WriteEndElement();
        return writer;
    }

    /// <summary>EC2 list: <c>&lt;nameSet&gt;&lt;item&gt;..&lt;/item&gt;&lt;/nameSet&gt;</c> (always written, empty when no items).</summary>
    public static XmlWriter ItemSet<T>(this XmlWriter writer, string name, IEnumerable<T> items, Action<XmlWriter, T> writeItem) =>
        writer.List(name, "item", items, writeItem);

    /// <summary>Query list: <c>&lt;Name&gt;&lt;member&gt;..&lt;/member&gt;&lt;/Name&gt;</c>.</summary>
    public static XmlWriter MemberList<T>(this XmlWriter writer, string name, IEnumerable<T> items, Action<XmlWriter, T> writeItem) =>
        writer.List(name, "member", items, writeItem);

    /// <summary>EC2 <c>tagSet</c> of <c>item/key,value</c>.</summary>
    public static XmlWriter TagSet(this XmlWriter writer, IEnumerable<KeyValuePair<string, string>> tags, string name = "tagSet") =>
        writer.ItemSet(name, tags, (w, tag) => w.Element("key", tag.Key).Element("value", tag.Value));

    private static XmlWriter List<T>(this XmlWriter writer, string name, string itemName, IEnumerable<T> items, Action<XmlWriter, T> writeItem)
    {
        writer.WriteStartElement(name);
        foreach (var item in items)
        {
            writer.WriteStartElement(itemName);
            writeItem(writer, item);
            writer.WriteEndElement();
        }

        writer.WriteEndElement();
        return writer;
    }
}
