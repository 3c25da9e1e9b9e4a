using System.Text;
using System.Text.RegularExpressions;
using LabPortal.Sandbox.Runtime.Guest;
using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary>sed's substitute command, the one lab scripts use ("sed -i 's/nginx/my server/g' index.html"); basic regular expressions are translated to .NET's syntax and other sed commands are ignored.</summary>
internal sealed class SedCommand(GuestOperatingSystem os) : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = ["sed"];

    public int Run(CommandContext context, List<string> arguments)
        => Sed(arguments, context.Io, context.Session);

    private int Sed(List<string> arguments, CommandIo io, ShellSession session)
    {
        var inPlace = false;
        var extended = false;
        var quiet = false;
        var scripts = new List<string>();
        var files = new List<string>();
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            if (argument is "-e" or "--expression")
            {
                if (i + 1 < arguments.Count)
                {
                    scripts.Add(arguments[++i]);
                }
            }
            else if (argument.StartsWith("-i", StringComparison.Ordinal) || argument.StartsWith("--in-place", StringComparison.Ordinal))
            {
                inPlace = true; // "-i.bak" keeps a backup on a real system; the suffix is not modelled
            }
            else if (argument is "-E" or "-r" or "--regexp-extended")
            {
                extended = true;
            }
            else if (argument is "-n" or "--quiet")
            {
                quiet = true;
            }
            else if (argument.Length > 1 && argument[0] == '-' && argument.Skip(1).All(c => c is 'i' or 'E' or 'r' or 'n'))
            {
                inPlace |= argument.Contains('i', StringComparison.Ordinal);
                extended |= argument.Contains('E', StringComparison.Ordinal) || argument.Contains('r', StringComparison.Ordinal);
                quiet |= argument.Contains('n', StringComparison.Ordinal);
            }
            else if (scripts.Count == 0 && !argument.StartsWith('-'))
            {
                scripts.Add(argument);
            }
            else if (!argument.StartsWith('-'))
            {
                files.Add(argument);
            }
        }

        var substitutions = new List<(Regex Pattern, string Replacement, bool Global)>();
        foreach (var script in scripts)
        {
            // Commands are separated by ";" or newlines, but only between commands, not inside s///.
            var position = 0;
            while (position < script.Length)
            {
                if (script[position] is ';' or '\n' or ' ' or '\t')
                {
                    position++;
                    continue;
                }

                if (ParseSubstitution(script, ref position, extended) is not { } substitution)
                {
                    return io.Ignored("sed " + string.Join(' ', arguments));
                }

                substitutions.Add(substitution);
            }
        }

        if (substitutions.Count == 0)
        {
            return io.Fail("Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...", 1);
        }

        string Apply(string text)
        {
            var lines = text.Split('\n');
            for (var l = 0; l < lines.Length; l++)
            {
                foreach (var (pattern, replacement, global) in substitutions)
                {
                    lines[l] = global ? pattern.Replace(lines[l], replacement) : pattern.Replace(lines[l], replacement, 1);
                }
            }

            return string.Join('\n', lines);
        }

        if (files.Count == 0)
        {
            if (!quiet)
            {
                io.Out.Append(Apply(io.StandardInput));
            }

            return 0;
        }

        var status = 0;
        foreach (var file in files)
        {
            var path = GuestFileSystem.Combine(session.WorkingDirectory, file);
            if (os.Files.ReadFile(path) is not { } content)
            {
                io.ErrorLine($"sed: can't read {file}: No such file or directory");
                status = 2;
                continue;
            }

            var result = Apply(content);
            if (inPlace)
            {
                os.Files.WriteFile(path, result, append: false);
            }
            else if (!quiet)
            {
                io.Out.Append(result);
            }
        }

        return status;
    }

    /// <summary>Parses "s/pattern/replacement/flags" with any delimiter; null for other sed commands.</summary>
    private static (Regex Pattern, string Replacement, bool Global)? ParseSubstitution(string expression, ref int position, bool extended)
    {
        if (expression.Length - position < 4 || expression[position] != 's')
        {
            return null;
        }

        var delimiter = expression[position + 1];
        var pieces = new List<StringBuilder> { new() };
        var i = position + 2;
        for (; i < expression.Length; i++)
        {
            var c = expression[i];
            if (pieces.Count == 3)
            {
                if (c is ';' or '\n')
                {
                    break;
                }

                pieces[2].Append(c);
                continue;
            }

            if (c == '\\' && i + 1 < expression.Length && expression[i + 1] == delimiter)
            {
                pieces[^1].Append(delimiter);
                i++;
            }
            else if (c == '\\' && i + 1 < expression.Length)
            {
                pieces[^1].Append(c).Append(expression[++i]);
            }
            else if (c == delimiter)
            {
                pieces.Add(new StringBuilder());
            }
            else
            {
                pieces[^1].Append(c);
            }
        }

        position = i;
        if (pieces.Count < 3)
        {
            return null;
        }

        var flags = pieces[2].ToString().Trim();
        var options = flags.Contains('I', StringComparison.Ordinal) ? RegexOptions.IgnoreCase : RegexOptions.None;
        try
        {
            var pattern = new Regex(extended ? pieces[0].ToString() : FromBasicRegex(pieces[0].ToString()), options, TimeSpan.FromSeconds(1));
            return (pattern, ToDotNetReplacement(pieces[1].ToString()), flags.Contains('g', StringComparison.Ordinal));
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>POSIX basic regex: \( \) \{ \} \+ \? \| are operators and the bare characters are literals.</summary>
    private static string FromBasicRegex(string pattern)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                var next = pattern[++i];
                builder.Append(next is '(' or ')' or '{' or '}' or '+' or '?' or '|' ? next.ToString() : "\\" + next);
            }
            else
            {
                builder.Append(c is '(' or ')' or '{' or '}' or '+' or '?' or '|' ? "\\" + c : c.ToString());
            }
        }

        return builder.ToString();
    }

    /// <summary>sed's "&amp;" and "\1" become .NET's "$0" and "$1"; a literal "$" is escaped.</summary>
    private static string ToDotNetReplacement(string replacement)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < replacement.Length; i++)
        {
            var c = replacement[i];
            if (c == '\\' && i + 1 < replacement.Length)
            {
                var next = replacement[++i];
                builder.Append(char.IsAsciiDigit(next) ? "${" + next + "}" : next == 'n' ? "\n" : next == '&' ? "&" : next.ToString());
            }
            else if (c == '&')
            {
                builder.Append("$0");
            }
            else if (c == '$')
            {
                builder.Append("$$");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
