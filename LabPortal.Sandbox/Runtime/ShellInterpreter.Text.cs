using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace LabPortal.Sandbox.Runtime;

// Text filters that scripts put after metadata commands: "ec2-metadata -i | cut -d ' ' -f 2",
// "awk '{print $2}'", "grep -q", "head -n 1", "tr -d '\n'", "wc -l".
internal sealed partial class ShellInterpreter
{
    /// <summary>Standard input, or the named files concatenated (null and an error printed when one is missing).</summary>
    private string? ReadInputs(List<string> files, CommandIo io, ShellSession session, string tool)
    {
        if (files.Count == 0)
        {
            return io.StandardInput;
        }

        var builder = new StringBuilder();
        foreach (var file in files)
        {
            if (os.Files.ReadFile(GuestFileSystem.Combine(session.WorkingDirectory, file)) is not { } content)
            {
                io.ErrorLine($"{tool}: {file}: No such file or directory");
                return null;
            }

            builder.Append(content);
        }

        return builder.ToString();
    }

    private static string[] Lines(string text) =>
        text.Length == 0 ? [] : text.TrimEnd('\n').Split('\n');

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
            return Fail(io, "cut: you must specify a list of bytes, characters, or fields", 1);
        }

        var input = ReadInputs(files, io, session, "cut");
        if (input is null)
        {
            return 1;
        }

        var wanted = ParseFieldList(fieldList);
        foreach (var line in Lines(input))
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
            return Ignored(io, "awk " + string.Join(' ', arguments));
        }

        var input = ReadInputs(files, io, session, "awk");
        if (input is null)
        {
            return 2;
        }

        var references = match.Groups["fields"].Value.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries);
        foreach (var line in Lines(input))
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
            return Fail(io, "Usage: grep [OPTION]... PATTERNS [FILE]...", 2);
        }

        var input = ReadInputs(files, io, session, "grep");
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
            return Fail(io, $"grep: invalid pattern: {pattern}", 2);
        }

        var matches = Lines(input).Where(line => regex.IsMatch(line) != invert).ToList();
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

        var input = ReadInputs(files, io, session, tool);
        if (input is null)
        {
            return 1;
        }

        var lines = Lines(input).ToList();
        foreach (var line in tool == "head" ? lines.Take(count) : lines.Skip(Math.Max(0, lines.Count - count)))
        {
            io.WriteLine(line);
        }

        return 0;
    }

    private static int Translate(List<string> arguments, CommandIo io)
    {
        var delete = arguments.Count > 0 && arguments[0] == "-d";
        var sets = arguments.Where(a => !a.StartsWith('-') || a.Length == 1).Select(a => Unescape(a)).ToList();
        if (sets.Count == 0 || (!delete && sets.Count < 2))
        {
            return Fail(io, "tr: missing operand", 1);
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

    private int WordCount(List<string> arguments, CommandIo io, ShellSession session)
    {
        var input = ReadInputs(arguments.Where(a => !a.StartsWith('-')).ToList(), io, session, "wc");
        if (input is null)
        {
            return 1;
        }

        var lines = input.Count(c => c == '\n');
        var words = input.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries).Length;
        var value = arguments.Contains("-l") ? lines : arguments.Contains("-w") ? words : arguments.Contains("-c") ? System.Text.Encoding.UTF8.GetByteCount(input) : -1;
        return Line(io, value >= 0
            ? value.ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{lines,7} {words,7} {System.Text.Encoding.UTF8.GetByteCount(input),7}"));
    }

    [GeneratedRegex(@"^\s*\{\s*print(?<fields>(\s*,?\s*\$(\d+|NF))*)\s*;?\s*\}\s*$")]
    private static partial Regex AwkPrint();
}
