using System.Collections.Concurrent;
using System.Security.Cryptography;
using LabPortal.Sandbox.Wire;

namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>
/// Instance addressing: private addresses from the subnet's range, public addresses unique across
/// every account (the data plane routes by them), and the DNS names EC2 derives from both.
/// </summary>
public sealed class Ec2InstanceAddresses
{
    private static readonly string[] PublicPrefixes = ["3.34", "3.35", "3.36", "3.38", "13.124", "13.125", "13.209", "15.164", "43.200", "43.201", "52.78", "52.79", "54.180"];

    private readonly ConcurrentDictionary<string, InstanceAddress> _publicAddresses = new(StringComparer.Ordinal);

    public static string PublicDnsName(string publicIp, string region) => $"ec2-{publicIp.Replace('.', '-')}.{region}.compute.localhost";

    public static string PrivateDnsName(string privateIp, string region) => $"ip-{privateIp.Replace('.', '-')}.{region}.compute.internal";

    /// <summary>A free address of the subnet, random like EC2's, skipping the addresses AWS reserves.</summary>
    internal static string AllocatePrivateIp(Ec2RegionState ec2, Ec2Subnet subnet)
    {
        var (network, prefix) = Ec2Cidr.Parse(subnet.CidrBlock);
        var size = 1u << (32 - prefix);
        var used = ec2.Instances.Values
            .Where(i => i.SubnetId == subnet.SubnetId && i.State != Ec2InstanceState.Terminated)
            .Select(i => i.PrivateIpAddress)
            .ToHashSet(StringComparer.Ordinal);

        // AWS reserves the first four addresses and the last one of every subnet (VPC user guide, "Subnet CIDR blocks").
        for (var attempt = 0; attempt < 64; attempt++)
        {
            var candidate = Ec2Cidr.Format(network + (uint)RandomNumberGenerator.GetInt32(4, (int)size - 1));
            if (!used.Contains(candidate))
            {
                return candidate;
            }
        }

        for (var offset = 4u; offset < size - 1; offset++)
        {
            var candidate = Ec2Cidr.Format(network + offset);
            if (!used.Contains(candidate))
            {
                return candidate;
            }
        }

        throw new ApiException("InsufficientFreeAddressesInSubnet", $"There are not enough free addresses in subnet '{subnet.SubnetId}' to satisfy the requested number of instances.");
    }

    public string AllocatePublicIp(string accountId, string region, string instanceId)
    {
        // Public addresses are unique across every account: the data plane routes by them.
        while (true)
        {
            var ip = $"{PublicPrefixes[RandomNumberGenerator.GetInt32(PublicPrefixes.Length)]}.{RandomNumberGenerator.GetInt32(1, 255)}.{RandomNumberGenerator.GetInt32(1, 255)}";
            if (_publicAddresses.TryAdd(ip, new InstanceAddress(accountId, region, instanceId)))
            {
                return ip;
            }
        }
    }

    /// <summary>Takes the public address back from the instance (stop, terminate, account deleted).</summary>
    public void ReleasePublicIp(Ec2Instance instance)
    {
        if (instance.PublicIpAddress is { } ip)
        {
            _publicAddresses.TryRemove(ip, out _);
            instance.PublicIpAddress = null;
        }
    }

    /// <summary>Claims an address the instance already had before a restart.</summary>
    public void Restore(string accountId, string region, Ec2Instance instance)
    {
        if (instance.PublicIpAddress is { } ip)
        {
            _publicAddresses[ip] = new InstanceAddress(accountId, region, instance.InstanceId);
        }
    }

    /// <summary>The instance that holds <paramref name="publicIp"/>, or null.</summary>
    public InstanceAddress? FindPublic(string publicIp) => _publicAddresses.GetValueOrDefault(publicIp);
}
