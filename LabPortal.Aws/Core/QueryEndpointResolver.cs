using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;

namespace LabPortal.Aws.Core;

/// <summary>
/// The pipeline handler that resolves a generated client's endpoint, as each official client adds its
/// own (AWSSDK.Core's <see cref="BaseEndpointResolver"/>): it maps the client configuration to the
/// endpoint parameters <see cref="QueryEndpointProvider"/> reads. With a <c>ServiceURL</c> and no
/// <c>RegionEndpoint</c>, the region is the configuration's <c>AuthenticationRegion</c>.
/// </summary>
public sealed class QueryEndpointResolver : BaseEndpointResolver
{
    /// <summary>
    /// The endpoint a configuration resolves to for one request, outside a call (what
    /// <see cref="ClientConfig.DetermineServiceOperationEndpoint"/> answers).
    /// </summary>
    /// <param name="config">The client configuration.</param>
    /// <param name="parameters">The request and its alternate region, if any.</param>
    /// <returns>The endpoint.</returns>
    public static Endpoint Determine(ClientConfig config, ServiceOperationEndpointParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(parameters);
        var requestContext = new RequestContext(false)
        {
            ClientConfig = config,
            OriginalRequest = parameters.Request,
            Request = new DefaultRequest(parameters.Request, config.ServiceId) { AlternateEndpoint = parameters.AlternateEndpoint },
        };
        return new QueryEndpointResolver().GetEndpoint(new Amazon.Runtime.Internal.ExecutionContext(requestContext, new ResponseContext()));
    }

    /// <inheritdoc/>
    protected override EndpointParameters MapEndpointsParameters(IRequestContext requestContext)
    {
        ArgumentNullException.ThrowIfNull(requestContext);
        var config = requestContext.ClientConfig;
        var parameters = new EndpointParameters();
        parameters["Region"] = requestContext.Request.AlternateEndpoint?.SystemName
            ?? config.RegionEndpoint?.SystemName
            ?? config.AuthenticationRegion;
        parameters["UseFIPS"] = config.UseFIPSEndpoint;
        parameters["UseDualStack"] = config.UseDualstackEndpoint;
        parameters["Endpoint"] = config.ServiceURL;
        return parameters;
    }
}
