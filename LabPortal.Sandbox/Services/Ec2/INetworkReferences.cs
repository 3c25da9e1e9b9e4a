using LabPortal.Sandbox.State;

namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>
/// What other services place in a VPC's subnets (load balancers), so EC2 can refuse to delete a
/// subnet in use or detach a gateway that public addresses still need. Called inside the caller's scope.
/// </summary>
public interface INetworkReferences
{
    /// <summary>True when a resource of another service lives in the subnet.</summary>
    bool IsSubnetInUse(AccountScope scope, string region, string subnetId);

    /// <summary>True when the VPC holds an internet-facing resource of another service (it has public addresses).</summary>
    bool HasPublicAddresses(AccountScope scope, string region, string vpcId);
}
