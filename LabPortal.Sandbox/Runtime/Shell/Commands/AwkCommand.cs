using System.Globalization;
using System.Text.RegularExpressions;
using LabPortal.Sandbox.Runtime.Guest;
using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary><c>awk '{print $N}'</c>, the form used to pick a field out of a line; other programs are ignored.</summary>
internal sealed partial class AwkCommand(GuestOperatingSystem os) : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = ["awk", "gawk"];

    public int Run(CommandContext context, List<string> arguments)
        => Awk(arguments, context.Io, context.Session);

    private int Awk(List<string> arguments, CommandIo io, ShellSession session)
    {
        string? separator = null;
        string? program = null;
        var files = new List<string>();
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            if (argument.StartsWith("-F", StringComparison.Ordinal))
            {
                separator = argument.Length > 2 ? argument[2..] : i + 1 < arguments.Count ? arguments[++i] : null;
            }
            else if (program is null)
            {
                program = argument;
            }
            else
            {
                files.Add(argument);
            }
        }

        // Only "{print $N, $M}" (and "{print}"), the form used to pick a field out of a line.
        var match = program is null ? Match.Empty : AwkPrint().Match(program);
        if (!match.Success)
        {
            return io.Ignored("awk " + string.Join(' ', arguments));
        }

        var input = TextInput.Read(os, files, io, session, "awk");
        if (input is null)
        {
            return 2;
        }

        var references = match.Groups["fields"].Value.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries);
        foreach (var line in TextInput.Lines(input))
        {
            var fields = separator is null
                ? line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)
                : line.Split(separator);
            string Field(string reference)
            {
                var index = reference == "$NF" ? fields.Length : int.Parse(reference.AsSpan(1), CultureInfo.InvariantCulture);
                return index == 0 ? line : index <= fields.Length ? fields[index - 1] : "";
            }

            io.WriteLine(references.Length == 0 ? line : string.Join(' ', references.Select(Field)));
        }

        return 0;
    }

    [GeneratedRegex(@"^\s*\{\s*print(?<fields>(\s*,?\s*\$(\d+|NF))*)\s*;?\s*\}\s*$")]
    private static partial Regex AwkPrint();
}
