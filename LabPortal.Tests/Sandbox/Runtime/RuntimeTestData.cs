using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using LabPortal.Sandbox.Runtime;
using LabPortal.Sandbox.Runtime.Guest;
using Microsoft.Extensions.Logging.Abstractions;

namespace LabPortal.Tests.Sandbox.Runtime;

/// <summary>Shared instance values, test data files and HTTP helpers for the runtime tests.</summary>
internal static class RuntimeTestData
{
    public static readonly InstanceMetadata Metadata = new(
        InstanceId: "i-0abc1234def567890",
        Region: "ap-northeast-2",
        AvailabilityZone: "ap-northeast-2c",
        InstanceType: "t2.micro",
        ImageId: "ami-0c9c942bd7bf113a2",
        LocalIpv4: "172.31.37.14",
        LocalHostname: "ip-172-31-37-14.ap-northeast-2.compute.internal",
        PublicIpv4: "3.35.140.21",
        PublicHostname: "ec2-3-35-140-21.ap-northeast-2.compute.localhost");

    public static readonly InstanceMetadata PrivateOnlyMetadata = Metadata with { PublicIpv4 = null, PublicHostname = null };

    /// <summary>A test data file next to this source file (no project item needed).</summary>
    public static string Read(string name, [CallerFilePath] string sourceFile = "") =>
        File.ReadAllText(Path.Combine(Path.GetDirectoryName(sourceFile)!, "TestData", name));

    public static IMachine CreateMachine(InstanceMetadata? metadata = null, MachineState? restored = null) =>
        new MachineFactory(NullLoggerFactory.Instance).Create(metadata ?? Metadata, restored);

    public static HttpClient CreateClient() => new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(1) })
    {
        Timeout = TimeSpan.FromSeconds(10),
    };

    public static async Task<string> GetPageAsync(IMachine machine, string path = "/")
    {
        var endpoint = machine.GetHttpEndpoint(80);
        Assert.NotNull(endpoint);
        using var client = CreateClient();
        return await client.GetStringAsync(new Uri(endpoint, path));
    }

    /// <summary>True when nothing listens at the endpoint any more (what makes a health check fail).</summary>
    public static async Task<bool> IsRefusedAsync(Uri endpoint)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, endpoint.Port));
            return false;
        }
        catch (SocketException exception) when (exception.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return true;
        }
    }
}
