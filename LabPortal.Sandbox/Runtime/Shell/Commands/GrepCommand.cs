using System.Globalization;
using System.Text.RegularExpressions;
using LabPortal.Sandbox.Runtime.Guest;
using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary><c>grep [-qvicF] PATTERN [FILE...]</c>.</summary>
internal sealed class GrepCommand(GuestOperatingSystem os) : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = ["grep", "egrep"];

    public int Run(CommandContext context, List<string> arguments)
        => Grep(arguments, context.Io, context.Session);

    private int Grep(List<string> arguments, CommandIo io, ShellSession session)
    {
        bool quiet = false, invert = false, ignoreCase = false, fixedText = false, count = false;
        string? pattern = null;
        var files = new List<string>();
        foreach (var argument in arguments)
        {
            if (argument.Length > 1 && argument[0] == '-' && pattern is null)
            {
                quiet |= argument.Contains('q', StringComparison.Ordinal);
                invert |= argument.Contains('v', StringComparison.Ordinal);
                ignoreCase |= argument.Contains('i', StringComparison.Ordinal);
                fixedText |= argument.Contains('F', StringComparison.Ordinal);
                count |= argument.Contains('c', StringComparison.Ordinal);
            }
            else if (pattern is null)
            {
                pattern = argument;
            }
            else
            {
                files.Add(argument);
            }
        }

        if (pattern is null)
        {
            return io.Fail("Usage: grep [OPTION]... PATTERNS [FILE]...", 2);
        }

        var input = TextInput.Read(os, files, io, session, "grep");
        if (input is null)
        {
            return 2;
        }

        Regex regex;
        try
        {
            regex = new Regex(fixedText ? Regex.Escape(pattern) : pattern, ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException)
        {
            return io.Fail($"grep: invalid pattern: {pattern}", 2);
        }

        var matches = TextInput.Lines(input).Where(line => regex.IsMatch(line) != invert).ToList();
        if (count)
        {
            io.WriteLine(matches.Count.ToString(CultureInfo.InvariantCulture));
        }
        else if (!quiet)
        {
            matches.ForEach(io.WriteLine);
        }

        return matches.Count > 0 ? 0 : 1;
    }
}
