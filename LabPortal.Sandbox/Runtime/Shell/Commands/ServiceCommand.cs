using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary><c>service UNIT VERB</c>: Amazon Linux's wrapper that hands the request to systemctl.</summary>
internal sealed class ServiceCommand(SystemctlCommand systemctl) : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = ["service"];

    public int Run(CommandContext context, List<string> arguments)
        => Service(arguments, context.Io);

    private int Service(List<string> arguments, CommandIo io)
    {
        if (arguments.Count < 2 || arguments[0].StartsWith('-'))
        {
            return io.Ignored("service " + string.Join(' ', arguments));
        }

        var unit = arguments[0];
        var verb = arguments[1];
        // Amazon Linux's "service" is a wrapper that hands the request to systemd.
        io.ErrorLine($"Redirecting to /bin/systemctl {verb} {unit}.service");
        return systemctl.Systemctl([verb, unit], io);
    }
}
