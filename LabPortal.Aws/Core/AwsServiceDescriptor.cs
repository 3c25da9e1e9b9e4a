namespace LabPortal.Aws.Core;

/// <summary>The wire facts of one Query-protocol AWS service: endpoint prefix, signing name and API version.</summary>
/// <param name="ServiceId">A short name used in logs, metrics and rate-limiter buckets (<c>elbv2</c>, <c>autoscaling</c>).</param>
/// <param name="EndpointPrefix">The host prefix of the regional endpoint (<c>elasticloadbalancing</c>).</param>
/// <param name="SigningName">The SigV4 service name in the credential scope.</param>
/// <param name="ApiVersion">The API version (<c>Version</c> form field for the Query protocols).</param>
public sealed record AwsServiceDescriptor(
    string ServiceId,
    string EndpointPrefix,
    string SigningName,
    string ApiVersion)
{
    /// <summary>Turns a generic error into the service's modelled exception (the generated clients set it).</summary>
    public Func<AwsServiceException, AwsServiceException>? MapError { get; init; }

    /// <summary>Elastic Load Balancing v2, API version 2015-12-01, <c>query</c> protocol.</summary>
    public static AwsServiceDescriptor Elbv2 { get; } = new("elbv2", "elasticloadbalancing", "elasticloadbalancing", "2015-12-01");

    /// <summary>EC2 Auto Scaling, API version 2011-01-01, <c>query</c> protocol.</summary>
    public static AwsServiceDescriptor AutoScaling { get; } = new("autoscaling", "autoscaling", "autoscaling", "2011-01-01");
}
