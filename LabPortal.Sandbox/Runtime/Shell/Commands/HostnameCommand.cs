using LabPortal.Sandbox.Runtime.Guest;
using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary><c>hostname</c>: the instance's private DNS name (setting it is ignored).</summary>
internal sealed class HostnameCommand(InstanceMetadata metadata) : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = ["hostname"];

    public int Run(CommandContext context, List<string> arguments)
        => Hostname(arguments, context.Io);

    private int Hostname(List<string> arguments, CommandIo io)
    {
        var option = arguments.FirstOrDefault(a => a.StartsWith('-'));
        var value = arguments.FirstOrDefault(a => !a.StartsWith('-'));
        if (value is not null)
        {
            return io.Ignored("hostname " + string.Join(' ', arguments));
        }

        return io.Line(option switch
        {
            "-s" or "--short" => metadata.LocalHostname.Split('.')[0],
            "-i" or "--ip-address" => metadata.LocalIpv4,
            "-I" or "--all-ip-addresses" => metadata.LocalIpv4 + " ",
            "-d" or "--domain" => string.Join('.', metadata.LocalHostname.Split('.').Skip(1)),
            _ => metadata.LocalHostname, // Amazon Linux sets the FQDN (ip-172-31-...compute.internal) as the hostname.
        });
    }
}
