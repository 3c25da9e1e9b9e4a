using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary><c>echo [-neE]</c>, with bash's option rules.</summary>
internal sealed class EchoCommand : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = ["echo"];

    public int Run(CommandContext context, List<string> arguments)
        => Echo(arguments, context.Io);

    private static int Echo(List<string> arguments, CommandIo io)
    {
        var newline = true;
        var escapes = false;
        var i = 0;
        while (i < arguments.Count && arguments[i].Length > 1 && arguments[i][0] == '-' && arguments[i].Skip(1).All(c => c is 'n' or 'e' or 'E'))
        {
            newline &= !arguments[i].Contains('n', StringComparison.Ordinal);
            escapes = arguments[i].Contains('e', StringComparison.Ordinal) || (escapes && !arguments[i].Contains('E', StringComparison.Ordinal));
            i++;
        }

        var text = string.Join(' ', arguments.Skip(i));
        io.Out.Append(escapes ? EscapeSequences.Unescape(text) : text);
        if (newline)
        {
            io.Out.Append('\n');
        }

        return 0;
    }
}
