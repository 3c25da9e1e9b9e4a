using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>IPv4 CIDR helpers for subnets and security group rules.</summary>
public static class Ec2Cidr
{
    public static (uint Network, int Prefix) Parse(string cidr)
    {
        if (!TryParse(cidr, out var network, out var prefix))
        {
            throw new FormatException($"'{cidr}' is not an IPv4 CIDR block.");
        }

        return (network, prefix);
    }

    /// <summary>True for <c>a.b.c.d/n</c> with a valid address and 0 &lt;= n &lt;= 32.</summary>
    public static bool TryParse(string cidr, out uint network, out int prefix)
    {
        network = 0;
        prefix = 0;
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0
            || !int.TryParse(cidr.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out prefix)
            || prefix > 32
            || !IPAddress.TryParse(cidr.AsSpan(0, slash), out var address)
            || address.AddressFamily != AddressFamily.InterNetwork
            || cidr[..slash].Split('.').Length != 4)
        {
            return false;
        }

        var bytes = address.GetAddressBytes();
        network = ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
        return true;
    }

    /// <summary>True for an IPv6 CIDR block.</summary>
    public static bool IsIpv6Cidr(string cidr)
    {
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        return slash > 0
            && int.TryParse(cidr.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix)
            && prefix <= 128
            && IPAddress.TryParse(cidr.AsSpan(0, slash), out var address)
            && address.AddressFamily == AddressFamily.InterNetworkV6;
    }

    public static uint ToUInt32(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var bytes = address.GetAddressBytes();
        return ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
    }

    /// <summary>True when the block <paramref name="inner"/> lies wholly inside <paramref name="outer"/>.</summary>
    public static bool Contains(string outer, string inner)
    {
        var (outerNetwork, outerPrefix) = Parse(outer);
        var (innerNetwork, innerPrefix) = Parse(inner);
        return innerPrefix >= outerPrefix && (innerNetwork & Mask(outerPrefix)) == outerNetwork;
    }

    /// <summary>True when the two blocks share an address.</summary>
    public static bool Overlaps(string a, string b)
    {
        var (aNetwork, aPrefix) = Parse(a);
        var (bNetwork, bPrefix) = Parse(b);
        var prefix = Math.Min(aPrefix, bPrefix);
        return (aNetwork & Mask(prefix)) == (bNetwork & Mask(prefix));
    }

    public static uint Mask(int prefix) => prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);

    public static string Format(uint address) =>
        $"{address >> 24}.{(address >> 16) & 0xff}.{(address >> 8) & 0xff}.{address & 0xff}";
}
