using System.Text;
using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary><c>tr SET1 SET2</c> and <c>tr -d SET</c>, with ranges and the common classes.</summary>
internal sealed class TrCommand : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = ["tr"];

    public int Run(CommandContext context, List<string> arguments)
        => Translate(arguments, context.Io);

    private static int Translate(List<string> arguments, CommandIo io)
    {
        var delete = arguments.Count > 0 && arguments[0] == "-d";
        var sets = arguments.Where(a => !a.StartsWith('-') || a.Length == 1).Select(a => EscapeSequences.Unescape(a)).ToList();
        if (sets.Count == 0 || (!delete && sets.Count < 2))
        {
            return io.Fail("tr: missing operand", 1);
        }

        var from = ExpandRanges(sets[0]);
        var to = delete ? "" : ExpandRanges(sets[1]);
        var builder = new StringBuilder();
        foreach (var c in io.StandardInput)
        {
            var index = from.IndexOf(c, StringComparison.Ordinal);
            if (index < 0)
            {
                builder.Append(c);
            }
            else if (!delete)
            {
                builder.Append(to.Length == 0 ? c : to[Math.Min(index, to.Length - 1)]);
            }
        }

        io.Out.Append(builder);
        return 0;
    }

    private static string ExpandRanges(string set)
    {
        var named = set.Replace("[:lower:]", "a-z", StringComparison.Ordinal).Replace("[:upper:]", "A-Z", StringComparison.Ordinal)
            .Replace("[:digit:]", "0-9", StringComparison.Ordinal).Replace("[:space:]", " \t\n\r", StringComparison.Ordinal);
        var builder = new StringBuilder();
        for (var i = 0; i < named.Length; i++)
        {
            if (i + 2 < named.Length && named[i + 1] == '-' && named[i] <= named[i + 2])
            {
                for (var c = named[i]; c <= named[i + 2]; c++)
                {
                    builder.Append(c);
                }

                i += 2;
            }
            else
            {
                builder.Append(named[i]);
            }
        }

        return builder.ToString();
    }
}
