using System.Text;
using System.Text.Json.Nodes;
using System.Xml;

namespace LabPortal.Sandbox.Wire;

/// <summary>What a handler answers; the gateway wraps it in the service's envelope.</summary>
public abstract class ApiResult
{
    /// <summary>
    /// XML members of the response. EC2: written straight inside <c>&lt;XxxResponse&gt;</c> after
    /// <c>requestId</c>. Query: inside <c>&lt;XxxResult&gt;</c>, or no Result element at all when
    /// <paramref name="writeMembers"/> is null (operations without output, aws-behaviour.md 4.2).
    /// </summary>
    /// <remarks>
    /// The members are rendered at once, so call this while still holding the account's scope:
    /// the answer is a consistent snapshot and no state is read after the lock is released.
    /// </remarks>
    public static ApiResult Xml(Action<XmlWriter>? writeMembers)
    {
        if (writeMembers is null)
        {
            return new XmlApiResult(null);
        }

        var builder = new StringBuilder();
        using (var writer = XmlWriter.Create(builder, new XmlWriterSettings { ConformanceLevel = ConformanceLevel.Fragment, OmitXmlDeclaration = true }))
        {
            writeMembers(writer);
        }

        return new XmlApiResult(builder.ToString());
    }

    /// <summary>A JSON 1.1 body (SSM). Null writes <c>{}</c>.</summary>
    public static ApiResult Json(JsonNode? body) => new JsonApiResult(body);
}

/// <summary>An XML (EC2 or Query) response body.</summary>
internal sealed class XmlApiResult(string? members) : ApiResult
{
    /// <summary>The rendered member elements, or null for a Query operation without output.</summary>
    public string? Members { get; } = members;
}

/// <summary>A JSON 1.1 response body.</summary>
internal sealed class JsonApiResult(JsonNode? body) : ApiResult
{
    public JsonNode? Body { get; } = body;
}
