using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary><c>chkconfig UNIT on|off</c>: forwarded to systemctl enable/disable.</summary>
internal sealed class ChkconfigCommand(SystemctlCommand systemctl) : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = ["chkconfig"];

    public int Run(CommandContext context, List<string> arguments)
        => Chkconfig(arguments, context.Io);

    private int Chkconfig(List<string> arguments, CommandIo io)
    {
        var operands = arguments.Where(a => !a.StartsWith('-')).ToList();
        if (operands.Count != 2 || operands[1] is not ("on" or "off"))
        {
            return io.Ignored("chkconfig " + string.Join(' ', arguments));
        }

        var verb = operands[1] == "on" ? "enable" : "disable";
        io.ErrorLine($"Note: Forwarding request to 'systemctl {verb} {operands[0]}.service'.");
        return systemctl.Systemctl([verb, operands[0]], io);
    }
}
