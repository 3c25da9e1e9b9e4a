using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using Microsoft.AspNetCore.Http;

namespace LabPortal.Sandbox.Wire;

/// <summary>Writes success and error envelopes exactly as each protocol's botocore parser expects (aws-behaviour.md 4.2, 4.3).</summary>
internal static class WireWriter
{
    private static readonly XmlWriterSettings Settings = new()
    {
        Encoding = new UTF8Encoding(false),
        Indent = false,
        OmitXmlDeclaration = false,
    };

    public static Task WriteSuccessAsync(HttpResponse response, ApiService service, string action, string requestId, ApiResult result)
    {
        response.StatusCode = 200;
        response.Headers["x-amzn-RequestId"] = requestId;
        return result switch
        {
            JsonApiResult json => WriteJsonAsync(response, json.Body?.ToJsonString() ?? "{}"),
            XmlApiResult xml => WriteXmlAsync(response, Envelope(service, action, requestId, xml.Members)),
            _ => throw new InvalidOperationException($"Unknown result type {result.GetType()}"),
        };
    }

    public static Task WriteErrorAsync(HttpResponse response, WireProtocol protocol, string xmlNamespace, string requestId, ApiException error)
    {
        response.StatusCode = error.StatusCode;
        response.Headers["x-amzn-RequestId"] = requestId;
        switch (protocol)
        {
            case WireProtocol.Json:
                // JSON 1.1 errors: botocore reads "__type" (and x-amzn-ErrorType) plus "message".
                response.Headers["x-amzn-ErrorType"] = error.Code;
                var body = new JsonObject { ["__type"] = error.Code, ["message"] = error.Message };
                return WriteJsonAsync(response, body.ToJsonString());
            case WireProtocol.Ec2:
                // EC2: <Response><Errors><Error>..</Error></Errors><RequestID> (capital ID, no namespace).
                return WriteXmlAsync(response, Render(w =>
                {
                    w.WriteStartElement("Response");
                    w.WriteStartElement("Errors");
                    w.WriteStartElement("Error");
                    w.WriteElementString("Code", Safe(error.Code));
                    w.WriteElementString("Message", Safe(error.Message));
                    w.WriteEndElement();
                    w.WriteEndElement();
                    w.WriteElementString("RequestID", requestId);
                    w.WriteEndElement();
                }));
            default:
                return WriteXmlAsync(response, Render(w =>
                {
                    w.WriteStartElement("ErrorResponse", xmlNamespace);
                    w.WriteStartElement("Error");
                    w.WriteElementString("Type", error.IsSenderFault ? "Sender" : "Receiver");
                    w.WriteElementString("Code", Safe(error.Code));
                    w.WriteElementString("Message", Safe(error.Message));
                    w.WriteEndElement();
                    w.WriteElementString("RequestId", requestId);
                    w.WriteEndElement();
                }));
        }
    }

    /// <summary>Drops characters XML cannot carry, so an error about bad input can always be written.</summary>
    private static string Safe(string text) =>
        QueryParameters.IsXmlSafe(text) ? text : new string(text.Where(XmlConvert.IsXmlChar).ToArray());

    private static byte[] Envelope(ApiService service, string action, string requestId, string? members) => Render(w =>
    {
        w.WriteStartElement(action + "Response", service.XmlNamespace);
        if (service.Protocol == WireProtocol.Ec2)
        {
            w.WriteElementString("requestId", requestId);
            if (members is not null)
            {
                w.WriteRaw(members);
            }
        }
        else
        {
            if (members is not null)
            {
                w.WriteStartElement(action + "Result");
                w.WriteRaw(members);
                w.WriteEndElement();
            }

            w.WriteStartElement("ResponseMetadata");
            w.WriteElementString("RequestId", requestId);
            w.WriteEndElement();
        }

        w.WriteEndElement();
    });

    private static byte[] Render(Action<XmlWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, Settings))
        {
            writer.WriteStartDocument();
            write(writer);
            writer.WriteEndDocument();
        }

        return stream.ToArray();
    }

    private static async Task WriteXmlAsync(HttpResponse response, byte[] body)
    {
        response.ContentType = "text/xml;charset=UTF-8";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body);
    }

    private static async Task WriteJsonAsync(HttpResponse response, string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        response.ContentType = "application/x-amz-json-1.1";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body);
    }

    /// <summary>Parses a JSON 1.1 body; garbage is the caller's fault (<c>SerializationException</c>), not a 500.</summary>
    public static JsonElement ParseJson(byte[] body)
    {
        if (body.Length == 0)
        {
            using var empty = JsonDocument.Parse("{}");
            return empty.RootElement.Clone();
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new ApiException("SerializationException", "Start of structure or map found where not expected.");
        }
    }
}
