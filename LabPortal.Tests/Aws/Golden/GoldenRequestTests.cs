using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using LabPortal.Aws.Core;
using LabPortal.Aws.Ec2;

namespace LabPortal.Tests.Aws.Golden;

/// <summary>
/// For every operation (and a few variants: empty lists, booleans, escaping, Unicode), the request our
/// marshaller writes equals botocore's serializer output for the same input (expected.json, regenerated
/// by generate.py from inputs.json).
/// </summary>
public sealed class GoldenRequestTests
{
    private static readonly JsonElement Inputs = Load("inputs.json");
    private static readonly JsonElement Expected = Load("expected.json").GetProperty("cases");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var c in Expected.EnumerateObject())
        {
            data.Add(c.Name);
        }

        return data;
    }

    [Fact]
    public void Golden_cases_cover_every_client_operation()
    {
        var clientOps = new[] { typeof(Ec2Client), typeof(LabPortal.Aws.Elbv2.Elbv2Client), typeof(LabPortal.Aws.AutoScaling.AutoScalingClient), typeof(LabPortal.Aws.Ssm.SsmClient) }
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Where(m => m.Name.EndsWith("Async", StringComparison.Ordinal) && !m.Name.EndsWith("PagesAsync", StringComparison.Ordinal))
                .Select(m => ServiceKey(t) + "/" + m.Name[..^"Async".Length]))
            .Order(StringComparer.Ordinal);
        var cases = Expected.EnumerateObject().Select(c => c.Name.Split('#')[0]).Distinct().Order(StringComparer.Ordinal);

        Assert.Equal(clientOps, cases);
        Assert.Equal(68, cases.Count());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Marshaller_writes_botocore_request_when_given_golden_input(string key)
    {
        var (service, caseName) = (key.Split('/')[0], key.Split('/')[1]);
        var operation = caseName.Split('#')[0];
        var descriptor = Descriptor(service);
        var type = typeof(Ec2Client).Assembly.GetType($"LabPortal.Aws.{Namespace(service)}.{operation}Request", throwOnError: true)!;
        var input = Inputs.GetProperty(service).GetProperty(caseName).GetRawText();
        var request = JsonSerializer.Deserialize(input, type, AwsJson.Options)!;
        var expected = Expected.GetProperty(key);

        if (descriptor.Protocol == AwsProtocol.Json11)
        {
            var actual = JsonSerializer.SerializeToNode(request, type, AwsJson.Options);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected.GetProperty("json").GetRawText()), actual), actual?.ToJsonString());
            Assert.Equal(expected.GetProperty("target").GetString(), descriptor.JsonTargetPrefix + "." + operation);
            return;
        }

        var writer = new QueryWriter(operation, descriptor.ApiVersion);
        type.GetMethod("WriteQuery", BindingFlags.Instance | BindingFlags.NonPublic)!.Invoke(request, [writer, string.Empty]);
        var expectedPairs = expected.GetProperty("parameters").EnumerateArray()
            .Select(p => $"{p[0].GetString()}={p[1].GetString()}").ToList();
        var actualPairs = writer.Parameters.Select(p => $"{p.Key}={p.Value}").ToList();
        Assert.Equal(expectedPairs, actualPairs);

        // botocore encodes with quote_plus, we with RFC 3986: the decoded bodies must agree.
        Assert.Equal(Decode(expected.GetProperty("body").GetString()!), Decode(writer.ToFormBody()));
    }

    private static List<string> Decode(string body) =>
        [.. body.Split('&').Select(p => Uri.UnescapeDataString(p.Replace('+', ' ')))];

    private static string ServiceKey(Type client) => client.Name switch
    {
        "Ec2Client" => "ec2",
        "Elbv2Client" => "elbv2",
        "AutoScalingClient" => "autoscaling",
        _ => "ssm",
    };

    private static string Namespace(string service) => service switch
    {
        "ec2" => "Ec2",
        "elbv2" => "Elbv2",
        "autoscaling" => "AutoScaling",
        _ => "Ssm",
    };

    private static AwsServiceDescriptor Descriptor(string service) => service switch
    {
        "ec2" => AwsServiceDescriptor.Ec2,
        "elbv2" => AwsServiceDescriptor.Elbv2,
        "autoscaling" => AwsServiceDescriptor.AutoScaling,
        _ => AwsServiceDescriptor.Ssm,
    };

    private static JsonElement Load(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Aws", "Golden", file)));
        return doc.RootElement.Clone();
    }
}
