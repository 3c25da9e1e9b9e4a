using System.Globalization;
using LabPortal.Sandbox.Runtime.Guest;
using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary><c>wc [-lwc]</c>.</summary>
internal sealed class WcCommand(GuestOperatingSystem os) : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = ["wc"];

    public int Run(CommandContext context, List<string> arguments)
        => WordCount(arguments, context.Io, context.Session);

    private int WordCount(List<string> arguments, CommandIo io, ShellSession session)
    {
        var input = TextInput.Read(os, arguments.Where(a => !a.StartsWith('-')).ToList(), io, session, "wc");
        if (input is null)
        {
            return 1;
        }

        var lines = input.Count(c => c == '\n');
        var words = input.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries).Length;
        var value = arguments.Contains("-l") ? lines : arguments.Contains("-w") ? words : arguments.Contains("-c") ? System.Text.Encoding.UTF8.GetByteCount(input) : -1;
        return io.Line(value >= 0
            ? value.ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{lines,7} {words,7} {System.Text.Encoding.UTF8.GetByteCount(input),7}"));
    }
}
