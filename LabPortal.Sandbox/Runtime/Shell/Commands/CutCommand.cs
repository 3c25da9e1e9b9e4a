using System.Globalization;
using LabPortal.Sandbox.Runtime.Guest;
using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary><c>cut -d DELIM -f LIST</c>: "ec2-metadata -i | cut -d ' ' -f 2".</summary>
internal sealed class CutCommand(GuestOperatingSystem os) : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = ["cut"];

    public int Run(CommandContext context, List<string> arguments)
        => Cut(arguments, context.Io, context.Session);

    private int Cut(List<string> arguments, CommandIo io, ShellSession session)
    {
        var delimiter = "\t";
        string? fieldList = null;
        var files = new List<string>();
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            if (argument.StartsWith("-d", StringComparison.Ordinal))
            {
                delimiter = argument.Length > 2 ? argument[2..] : i + 1 < arguments.Count ? arguments[++i] : "\t";
            }
            else if (argument.StartsWith("-f", StringComparison.Ordinal))
            {
                fieldList = argument.Length > 2 ? argument[2..] : i + 1 < arguments.Count ? arguments[++i] : null;
            }
            else if (!argument.StartsWith('-'))
            {
                files.Add(argument);
            }
        }

        if (fieldList is null || delimiter.Length != 1)
        {
            return io.Fail("cut: you must specify a list of bytes, characters, or fields", 1);
        }

        var input = TextInput.Read(os, files, io, session, "cut");
        if (input is null)
        {
            return 1;
        }

        var wanted = ParseFieldList(fieldList);
        foreach (var line in TextInput.Lines(input))
        {
            var fields = line.Split(delimiter[0]);
            // A line without the delimiter is printed whole (GNU cut without -s).
            io.WriteLine(fields.Length == 1 ? line : string.Join(delimiter, fields.Where((_, index) => wanted(index + 1))));
        }

        return 0;
    }

    private static Func<int, bool> ParseFieldList(string list)
    {
        var ranges = new List<(int From, int To)>();
        foreach (var item in list.Split(','))
        {
            var dash = item.IndexOf('-', StringComparison.Ordinal);
            int Parse(string text, int fallback) => int.TryParse(text, CultureInfo.InvariantCulture, out var n) ? n : fallback;
            ranges.Add(dash < 0 ? (Parse(item, 0), Parse(item, 0)) : (Parse(item[..dash], 1), Parse(item[(dash + 1)..], int.MaxValue)));
        }

        return field => ranges.Any(r => field >= r.From && field <= r.To);
    }
}
