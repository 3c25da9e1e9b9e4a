using Amazon.Runtime;
using Amazon.Runtime.Endpoints;

namespace LabPortal.Aws.Core;

/// <summary>
/// The endpoint rules of a regional Query-protocol service (ELBv2, Auto Scaling), as an AWSSDK.Core
/// <see cref="IEndpointProvider"/>: the <c>Endpoint</c> parameter (a client's <c>ServiceURL</c>: the
/// sandbox or an emulator) wins; otherwise <c>https://{prefix}[-fips].{region}.amazonaws.com</c>
/// (<c>amazonaws.com.cn</c> in the China regions).
/// See <see href="https://docs.aws.amazon.com/general/latest/gr/elb.html">ELB endpoints</see> and
/// <see href="https://docs.aws.amazon.com/general/latest/gr/as.html">Auto Scaling endpoints</see>.
/// </summary>
/// <param name="endpointPrefix">The host prefix of the service (<c>elasticloadbalancing</c>, <c>autoscaling</c>).</param>
public sealed class QueryEndpointProvider(string endpointPrefix) : IEndpointProvider
{
    /// <summary>The host prefix of the service.</summary>
    public string EndpointPrefix { get; } = endpointPrefix;

    /// <inheritdoc/>
    public Endpoint ResolveEndpoint(EndpointParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters["Endpoint"] is string { Length: > 0 } custom)
        {
            return new Endpoint(custom);
        }

        if (parameters["Region"] is not string { Length: > 0 } region)
        {
            throw new AmazonClientException($"No region to resolve the {EndpointPrefix} endpoint: set RegionEndpoint or ServiceURL.");
        }

        if (parameters["UseDualStack"] is true)
        {
            throw new AmazonClientException($"Dual-stack endpoints are not part of the {EndpointPrefix} rules modelled here; set ServiceURL instead.");
        }

        var fips = parameters["UseFIPS"] is true ? "-fips" : "";
        var suffix = region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";
        return new Endpoint($"https://{EndpointPrefix}{fips}.{region}.{suffix}");
    }
}
