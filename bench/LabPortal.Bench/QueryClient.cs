using System.Net;
using System.Xml.Linq;
using LabPortal.Aws.Core;

namespace LabPortal.Bench;

/// <summary>A signed Query-protocol caller used to build fixtures and to check pre-signed requests before a run.</summary>
internal sealed class QueryClient(HttpClient http, Uri endpoint, string region, SigV4Credentials credentials)
{
    public const string Ec2Version = "2016-11-15";
    public const string Elbv2Version = "2015-12-01";

    public Uri Endpoint => endpoint;

    public SignedQueryRequest Sign(string service, string action, string version, IEnumerable<(string Name, string Value)> parameters, DateTimeOffset signingTime) =>
        SignedQueryRequest.Sign(endpoint, region, credentials, service, action, version, parameters, signingTime);

    public Task<XDocument> Ec2Async(string action, params (string Name, string Value)[] parameters) =>
        CallAsync("ec2", action, Ec2Version, parameters);

    public Task<XDocument> ElbAsync(string action, params (string Name, string Value)[] parameters) =>
        CallAsync("elasticloadbalancing", action, Elbv2Version, parameters);

    public async Task<XDocument> CallAsync(string service, string action, string version, IEnumerable<(string Name, string Value)> parameters)
    {
        var signed = Sign(service, action, version, parameters, DateTimeOffset.UtcNow);
        var (status, body) = await SendAsync(signed);
        return status == HttpStatusCode.OK
            ? XDocument.Parse(body)
            : throw new InvalidOperationException($"{action} on {endpoint} answered {(int)status}: {body}");
    }

    public async Task<(HttpStatusCode Status, string Body)> SendAsync(SignedQueryRequest signed)
    {
        ArgumentNullException.ThrowIfNull(signed);
        using var request = signed.ToHttpRequest(endpoint);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Text of every element with this local name, in document order (namespaces differ between services).</summary>
    public static IEnumerable<string> Values(XDocument xml, string localName) =>
        xml.Descendants().Where(e => e.Name.LocalName == localName).Select(e => e.Value);
}
