using System.Text.Json.Nodes;
using LabPortal.Sandbox.Wire;

namespace LabPortal.Tests.Sandbox;

/// <summary>
/// A Query-protocol service registered only in tests, to exercise the gateway's Query envelopes (ELBv2 plugs in
/// the same way). Its signing name is its own, so it never collides with a real service of the sandbox.
/// </summary>
internal sealed class ProbeQueryService : ApiService
{
    public ProbeQueryService()
        : base("queryprobe", WireProtocol.Query, "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/", "2015-12-01")
    {
        Register("DescribeProbe", (request, _) =>
        {
            var name = request.Parameters.GetRequired("Name");
            var ports = request.Parameters.GetList("Ports");
            return Task.FromResult(ApiResult.Xml(w => w.Element("Name", name).MemberList("Ports", ports, (x, p) => x.WriteString(p))));
        });
        Register("DeleteProbe", (_, _) => Task.FromResult(ApiResult.Xml(null)));
    }
}

/// <summary>A JSON 1.1 service registered only in tests (SSM plugs in the same way).</summary>
internal sealed class ProbeJsonService : ApiService
{
    public ProbeJsonService()
        : base("ssm", WireProtocol.Json, string.Empty, "2014-11-06", "AmazonSSM")
    {
        Register("GetProbe", (request, _) =>
        {
            var name = request.Json.TryGetProperty("Name", out var value) ? value.GetString() : null;
            return Task.FromResult(ApiResult.Json(new JsonObject { ["Name"] = name, ["Account"] = request.AccountId }));
        });
    }
}
