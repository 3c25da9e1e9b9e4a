using LabPortal.Sandbox.Runtime.Guest;
using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary><c>amazon-linux-extras install|enable TOPIC</c> (Amazon Linux 2).</summary>
internal sealed class AmazonLinuxExtrasCommand(PackageInstaller installer) : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = ["amazon-linux-extras"];

    public int Run(CommandContext context, List<string> arguments)
        => AmazonLinuxExtras(arguments, context.Io);

    private int AmazonLinuxExtras(List<string> arguments, CommandIo io)
    {
        var assumeYes = arguments.Contains("-y");
        var operands = arguments.Where(a => !a.StartsWith('-')).ToList();
        if (operands.Count > 0 && operands[0] == "install")
        {
            return installer.Install(operands.Skip(1).ToList(), assumeYes, debianLayout: false, io, "yum");
        }

        if (operands.Count > 1 && operands[0] == "enable")
        {
            io.WriteLine($"Now you can install:");
            io.WriteLine($" # yum clean metadata");
            io.WriteLine($" # yum install {string.Join(' ', operands.Skip(1).Select(t => PackageCatalog.Resolve(t, debianLayout: false).Name))}");
            return 0;
        }

        return io.Ignored("amazon-linux-extras " + string.Join(' ', arguments));
    }
}
