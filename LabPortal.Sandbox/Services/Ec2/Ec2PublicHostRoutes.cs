using LabPortal.Sandbox.DataPlane;
using LabPortal.Sandbox.State;
using Microsoft.AspNetCore.Http;

namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>
/// Puts every instance's public DNS name on the data plane: a request for
/// <c>ec2-a-b-c-d.region.compute.localhost</c> goes to port 80 of that instance's machine when the
/// instance's subnet routes to an internet gateway.
/// </summary>
public sealed partial class Ec2PublicHostRoutes : IDisposable
{
    private readonly SandboxState _state;
    private readonly Ec2InstanceAddresses _addresses;
    private readonly Ec2InstanceMachines _machines;
    private readonly HttpForwarder _forwarder;
    private readonly IDisposable _resolver;

    public Ec2PublicHostRoutes(SandboxState state, Ec2InstanceAddresses addresses, Ec2InstanceMachines machines, IDataPlaneRoutes routes, HttpForwarder forwarder)
    {
        _state = state;
        _addresses = addresses;
        _machines = machines;
        _forwarder = forwarder;
        _resolver = routes.AddResolver(ResolveInstanceHost);
    }

    public void Dispose() => _resolver.Dispose();

    private RequestDelegate? ResolveInstanceHost(string host)
    {
        var match = InstanceHost().Match(host);
        if (!match.Success)
        {
            return null;
        }

        var ip = $"{match.Groups[1].Value}.{match.Groups[2].Value}.{match.Groups[3].Value}.{match.Groups[4].Value}";
        if (_addresses.FindPublic(ip) is not { } address || !string.Equals(address.Region, match.Groups[5].Value, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return async context =>
        {
            if (!await IsReachableFromInternetAsync(address, context.RequestAborted))
            {
                // On AWS the packets are dropped and the browser times out; the data plane says why at once.
                await HttpForwarder.WriteTextAsync(context.Response, StatusCodes.Status504GatewayTimeout, "504 Gateway Timeout: the instance's subnet has no route to an internet gateway, so nothing from the internet reaches it.");
                return;
            }

            var endpoint = _machines.GetHttpEndpoint(address.AccountId, address.InstanceId, 80);
            if (endpoint is null)
            {
                await HttpForwarder.WriteTextAsync(context.Response, StatusCodes.Status502BadGateway, "502 Bad Gateway: connection refused (no web server listens on port 80).");
                return;
            }

            await _forwarder.ForwardAsync(context, endpoint);
        };
    }

    /// <summary>
    /// A public address is reachable only through an internet gateway: the subnet's route table must
    /// send 0.0.0.0/0 to a gateway attached to the VPC (VPC user guide, "Enable internet access").
    /// </summary>
    private async Task<bool> IsReachableFromInternetAsync(InstanceAddress address, CancellationToken cancellationToken)
    {
        await using var scope = await _state.EnterAsync(address.AccountId, cancellationToken);
        var ec2 = scope.Find<Ec2RegionState>(address.Region);
        var instance = ec2?.Instances.GetValueOrDefault(address.InstanceId);
        var subnet = instance is null ? null : ec2!.Subnets.GetValueOrDefault(instance.SubnetId);
        return subnet is not null && ec2!.HasInternetRoute(subnet);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^ec2-(\d{1,3})-(\d{1,3})-(\d{1,3})-(\d{1,3})\.([a-z0-9-]+)\.compute\.localhost$", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex InstanceHost();
}
