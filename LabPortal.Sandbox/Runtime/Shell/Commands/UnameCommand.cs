using LabPortal.Sandbox.Runtime.Guest;
using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary><c>uname</c>: an Amazon Linux 2023 kernel on x86_64.</summary>
internal sealed class UnameCommand(InstanceMetadata metadata) : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = ["uname"];

    public int Run(CommandContext context, List<string> arguments)
        => Uname(arguments, context.Io);

    private int Uname(List<string> arguments, CommandIo io)
    {
        const string Kernel = "6.1.0-sandbox.amzn2023.x86_64";
        return io.Line(arguments.FirstOrDefault() switch
        {
            "-a" => $"Linux {metadata.LocalHostname} {Kernel} #1 SMP x86_64 x86_64 x86_64 GNU/Linux",
            "-r" => Kernel,
            "-m" or "-p" or "-i" => "x86_64",
            "-n" => metadata.LocalHostname,
            _ => "Linux",
        });
    }
}
