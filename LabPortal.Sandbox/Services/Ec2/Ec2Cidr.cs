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

    public static string Format(uint address) =>
        $"{address >> 24}.{(address >> 16) & 0xff}.{(address >> 8) & 0xff}.{address & 0xff}";
}
