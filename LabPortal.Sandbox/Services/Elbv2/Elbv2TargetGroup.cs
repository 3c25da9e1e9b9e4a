namespace LabPortal.Sandbox.Services.Elbv2;

/// <summary>A target group (instance targets, HTTP) with its health-check settings, attributes and targets.</summary>
public sealed class Elbv2TargetGroup
{
    public string Arn { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    public string Protocol { get; set; } = "HTTP";

    public string ProtocolVersion { get; set; } = "HTTP1";

    public int Port { get; set; }

    public string VpcId { get; set; } = string.Empty;

    public string TargetType { get; set; } = "instance";

    public string IpAddressType { get; set; } = "ipv4";

    public string HealthCheckProtocol { get; set; } = "HTTP";

    /// <summary><c>traffic-port</c> or a port number (aws-behaviour.md 1.3).</summary>
    public string HealthCheckPort { get; set; } = "traffic-port";

    public string HealthCheckPath { get; set; } = "/";

    public int HealthCheckIntervalSeconds { get; set; } = 30;

    public int HealthCheckTimeoutSeconds { get; set; } = 5;

    public int HealthyThresholdCount { get; set; } = 5;

    public int UnhealthyThresholdCount { get; set; } = 2;

    /// <summary>Matcher HttpCode: <c>200</c>, <c>200,202</c> or <c>200-299</c>.</summary>
    public string Matcher { get; set; } = "200";

    public Dictionary<string, string> Attributes { get; set; } = Elbv2Attributes.TargetGroupDefaults();

    public List<Elbv2Target> Targets { get; set; } = [];

    public Dictionary<string, string> Tags { get; set; } = [];

    /// <summary>The port health checks go to for a target registered on <paramref name="targetPort"/>.</summary>
    public int HealthCheckPortFor(int targetPort) =>
        HealthCheckPort == "traffic-port" ? targetPort : int.Parse(HealthCheckPort, System.Globalization.CultureInfo.InvariantCulture);
}
