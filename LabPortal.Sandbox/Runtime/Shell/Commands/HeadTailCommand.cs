using System.Globalization;
using LabPortal.Sandbox.Runtime.Guest;
using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary><c>head</c> and <c>tail</c> with <c>-n N</c>.</summary>
internal sealed class HeadTailCommand(GuestOperatingSystem os) : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = ["head", "tail"];

    public int Run(CommandContext context, List<string> arguments)
        => HeadOrTail(context.Name, arguments, context.Io, context.Session);

    private int HeadOrTail(string tool, List<string> arguments, CommandIo io, ShellSession session)
    {
        var count = 10;
        var files = new List<string>();
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            if (argument == "-n" && i + 1 < arguments.Count)
            {
                int.TryParse(arguments[++i], CultureInfo.InvariantCulture, out count);
            }
            else if (argument.StartsWith('-') && int.TryParse(argument.AsSpan(argument.StartsWith("-n", StringComparison.Ordinal) ? 2 : 1), CultureInfo.InvariantCulture, out var n))
            {
                count = n;
            }
            else if (!argument.StartsWith('-'))
            {
                files.Add(argument);
            }
        }

        var input = TextInput.Read(os, files, io, session, tool);
        if (input is null)
        {
            return 1;
        }

        var lines = TextInput.Lines(input).ToList();
        foreach (var line in tool == "head" ? lines.Take(count) : lines.Skip(Math.Max(0, lines.Count - count)))
        {
            io.WriteLine(line);
        }

        return 0;
    }
}
