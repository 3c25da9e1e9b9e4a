using Microsoft.AspNetCore.Http;

namespace LabPortal.Sandbox.DataPlane;

/// <summary>
/// Who answers which Host on the data plane front (ARCHITECTURE.md "data plane": one port stands
/// for port 80 of every load balancer and instance). ELBv2 maps each load balancer's DNS name
/// (<c>&lt;name&gt;-&lt;digits&gt;.&lt;region&gt;.elb.localhost</c>) with its own handler; EC2 resolves
/// instance names (<c>ec2-a-b-c-d.&lt;region&gt;.compute.localhost</c>) through a resolver.
/// Host names are compared case-insensitively and without the port.
/// </summary>
public interface IDataPlaneRoutes
{
    /// <summary>Routes one exact host name to <paramref name="handler"/>; dispose the result to remove it.</summary>
    IDisposable Map(string hostName, RequestDelegate handler);

    /// <summary>Adds a resolver asked (in order) for hosts with no exact route; it returns null for hosts it does not own.</summary>
    IDisposable AddResolver(Func<string, RequestDelegate?> resolver);

    /// <summary>The handler for a host (port already stripped), or null when nobody answers there.</summary>
    RequestDelegate? Resolve(string hostName);
}
