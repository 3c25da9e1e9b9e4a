using LabPortal.Sandbox.Accounts;
using LabPortal.Sandbox.State;

namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>When an account is deleted: its instances' public addresses are freed and their machines shut down for good.</summary>
public sealed class Ec2InstanceCleanup : IAccountCleanup
{
    private readonly Ec2InstanceAddresses _addresses;
    private readonly Ec2InstanceMachines _machines;

    public Ec2InstanceCleanup(Ec2InstanceAddresses addresses, Ec2InstanceMachines machines)
    {
        _addresses = addresses;
        _machines = machines;
    }

    public async Task CleanUpAsync(AccountScope scope, CancellationToken cancellationToken)
    {
        foreach (var (_, ec2) in scope.All<Ec2RegionState>())
        {
            foreach (var instance in ec2.Instances.Values)
            {
                _addresses.ReleasePublicIp(instance);
                await _machines.DiscardAsync(instance.InstanceId, cancellationToken);
            }
        }
    }
}
