using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text.Json;
using System.Xml.Linq;
using Amazon.Runtime;
using LabPortal.Tests.Aws.Support;

namespace LabPortal.Tests.Aws.Responses;

/// <summary>
/// Every example response in <c>Examples/</c> (AWS API reference examples, reproduced in our own
/// formatting) is parsed through the client and loses no value: each leaf of the example appears in
/// the parsed record, counted as a multiset, with timestamps compared as instants.
/// </summary>
public sealed class DocumentedExampleTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Aws", "Responses", "Examples");

    public static TheoryData<string> Examples()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Folder).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Client_reads_every_value_when_given_documented_example(string file)
    {
        var parts = file.Split('.');
        var (service, operation) = (parts[0], parts[1]);
        var body = await File.ReadAllTextAsync(Path.Combine(Folder, file));
        var handler = new FakeAwsHandler(_ => new(HttpStatusCode.OK, body, "text/xml"));
        var clients = TestClients.Create(handler);
        object client = service == "elbv2" ? clients.Elbv2 : clients.AutoScaling;
        var method = client.GetType().GetMethod(operation + "Async")!;
        var request = Activator.CreateInstance(method.GetParameters()[0].ParameterType)!;

        var task = (Task)method.Invoke(client, [request, CancellationToken.None])!;
        await task;
        var response = (AmazonWebServiceResponse)task.GetType().GetProperty("Result", BindingFlags.Public | BindingFlags.Instance)!.GetValue(task)!;

        var actual = Leaves(JsonSerializer.SerializeToElement(response, response.GetType())).ToList();
        var root = XDocument.Parse(body).Root!;
        var requestId = root.Descendants().First(e => e.Name.LocalName is "requestId" or "RequestId").Value;
        Assert.Equal(requestId, response.ResponseMetadata.RequestId);
        List<string> expected = [.. root.Descendants()
            .Where(e => !e.HasElements && e.Value.Length > 0 && e.Name.LocalName is not ("requestId" or "RequestId"))
            .Select(e => Normalize(e.Value))];
        actual.Remove(requestId);

        foreach (var value in expected)
        {
            Assert.True(actual.Remove(value), $"{file}: value '{value}' was not read (left: {string.Join(" | ", actual)})");
        }
    }

    private static IEnumerable<string> Leaves(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().SelectMany(p => Leaves(p.Value)),
        JsonValueKind.Array => e.EnumerateArray().SelectMany(Leaves),
        JsonValueKind.String when e.GetString()!.Length == 0 => [],
        JsonValueKind.String => [Normalize(e.GetString()!)],
        JsonValueKind.Number => [Normalize(e.GetRawText())],
        JsonValueKind.True => ["true"],
        JsonValueKind.False => ["false"],
        _ => [],
    };

    // Numbers compare by value and ISO timestamps as epoch seconds (the JSON form of our records).
    private static string Normalize(string text)
    {
        if (text.Length >= 20 && text[4] == '-' && text[10] == 'T'
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            return Math.Round(instant.ToUnixTimeMilliseconds() / 1000.0, 3).ToString("R", CultureInfo.InvariantCulture);
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && !text.StartsWith('+') && text.Trim() == text)
        {
            return Math.Round(number, 3).ToString("R", CultureInfo.InvariantCulture);
        }

        return text;
    }
}
