namespace LabPortal.Aws.Core;

/// <summary>
/// Resolves the endpoint of a service in a region: AWS's regional host, or the one
/// <see cref="AwsClientOptions.ServiceUrl"/> override for every service.
/// See <see href="https://docs.aws.amazon.com/general/latest/gr/rande.html">AWS service endpoints</see>.
/// </summary>
public static class AwsEndpoints
{
    /// <summary>The endpoint for <paramref name="service"/> in <paramref name="region"/>.</summary>
    /// <param name="service">The service.</param>
    /// <param name="region">The region name.</param>
    /// <param name="serviceUrl">The override, or null.</param>
    /// <returns>The endpoint URI.</returns>
    public static Uri Resolve(AwsServiceDescriptor service, string region, Uri? serviceUrl)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentException.ThrowIfNullOrEmpty(region);
        if (serviceUrl is not null)
        {
            return serviceUrl;
        }

        var suffix = region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";
        return new Uri($"https://{service.EndpointPrefix}.{region}.{suffix}/");
    }
}
