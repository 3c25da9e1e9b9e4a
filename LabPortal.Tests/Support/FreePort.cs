using System.Net;
using System.Net.Sockets;

namespace LabPortal.Tests.Support;

/// <summary>A loopback port nobody listens on right now (the OS's pick; a child process binds it a moment later).</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
