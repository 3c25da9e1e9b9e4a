using System.Text;
using System.Text.RegularExpressions;
using LabPortal.Sandbox.Runtime.Guest;
using LabPortal.Sandbox.Runtime.Shell.Commands;
using LabPortal.Sandbox.Runtime.Shell.Session;
using LabPortal.Sandbox.Runtime.Shell.Syntax;

namespace LabPortal.Sandbox.Runtime.Shell;

/// <summary>
/// Expands words when a command runs, as bash does: parameters, command substitutions and
/// arithmetic, then field splitting and file name globs for the unquoted parts.
/// </summary>
internal sealed class WordExpander(GuestOperatingSystem os, IScriptRunner shell)
{
    // One expanded word (a variable, a substitution's output) is capped, so "A=$A$A" repeated
    // cannot grow without bound; 1 MiB is far above anything a lab writes.
    internal const int MaxWordLength = 1024 * 1024;

    internal string ExpandToString(ShellWord word, ShellSession session)
    {
        var builder = new StringBuilder();
        foreach (var part in word.Parts)
        {
            builder.Append(part switch
            {
                LiteralPart literal => literal.Text,
                ParameterPart parameter => ExpandParameter(parameter, session),
                CommandSubstitutionPart substitution => Substitute(substitution.Script, session),
                ArithmeticPart arithmetic => ExpandArithmetic(arithmetic, session),
                _ => "",
            });
            if (builder.Length > MaxWordLength)
            {
                builder.Length = MaxWordLength;
                break;
            }
        }

        return builder.ToString();
    }

    /// <summary>Expands a word into fields: unquoted expansions split on whitespace, unquoted globs match files.</summary>
    internal List<string> ExpandFields(ShellWord word, ShellSession session)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        var started = false;
        var glob = false;

        void Finish()
        {
            if (started)
            {
                var text = current.ToString();
                if (glob && ExpandGlob(text, session) is { Count: > 0 } matches)
                {
                    fields.AddRange(matches);
                }
                else
                {
                    fields.Add(text);
                }
            }

            current.Clear();
            started = false;
            glob = false;
        }

        foreach (var part in word.Parts)
        {
            if (part is LiteralPart literal)
            {
                current.Append(literal.Text);
                started = true;
                glob |= !literal.Quoted && literal.Text.IndexOfAny(['*', '?']) >= 0;
                continue;
            }

            var value = part switch
            {
                ParameterPart parameter => ExpandParameter(parameter, session),
                ArithmeticPart arithmetic => ExpandArithmetic(arithmetic, session),
                _ => Substitute(((CommandSubstitutionPart)part).Script, session),
            };
            if (part.Quoted)
            {
                current.Append(value.AsSpan(0, Math.Min(value.Length, Math.Max(0, MaxWordLength - current.Length))));
                started = true;
                continue;
            }

            if (current.Length + value.Length > MaxWordLength)
            {
                value = value[..Math.Max(0, MaxWordLength - current.Length)];
            }

            foreach (var c in value)
            {
                if (c is ' ' or '\t' or '\n')
                {
                    Finish();
                }
                else
                {
                    current.Append(c);
                    started = true;
                }
            }
        }

        Finish();
        return fields;
    }

    private List<string>? ExpandGlob(string pattern, ShellSession session)
    {
        var slash = pattern.LastIndexOf('/');
        var directoryPart = slash < 0 ? "" : pattern[..(slash + 1)];
        var namePattern = pattern[(slash + 1)..];
        if (directoryPart.IndexOfAny(['*', '?']) >= 0 || namePattern.Length == 0)
        {
            return null;
        }

        var directory = GuestFileSystem.Combine(session.WorkingDirectory, directoryPart.Length == 0 ? "." : directoryPart);
        var regex = new Regex("^" + Regex.Escape(namePattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.None, TimeSpan.FromSeconds(1));
        return os.Files.List(directory)?
            .Where(name => !name.StartsWith('.') && regex.IsMatch(name))
            .Select(name => directoryPart + name)
            .ToList();
    }

    private string ExpandParameter(ParameterPart parameter, ShellSession session)
    {
        var value = parameter.Name switch
        {
            "?" => session.LastStatus.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "$" => "1742",
            "#" => session.Positional.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "@" or "*" => string.Join(' ', session.Positional),
            [var digit] when digit is >= '1' and <= '9' => session.Positional.ElementAtOrDefault(digit - '1'),
            "0" => "/var/lib/cloud/instance/scripts/part-001",
            "PWD" => session.WorkingDirectory,
            "RANDOM" => Random.Shared.Next(32768).ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => session.Variables.GetValueOrDefault(parameter.Name),
        };

        if (parameter.Length)
        {
            return (value?.Length ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (string.IsNullOrEmpty(value) && parameter.DefaultValue is not null)
        {
            return ExpandToString(parameter.DefaultValue, session);
        }

        return value ?? "";
    }

    private string ExpandArithmetic(ArithmeticPart arithmetic, ShellSession session)
    {
        var expression = ExpandToString(arithmetic.Expression, session);
        if (Arithmetic.Evaluate(expression, name => session.Variables.GetValueOrDefault(name)) is { } value)
        {
            return value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        session.Output.WriteError($"bash: {expression}: syntax error in expression\n");
        return "0";
    }

    private string Substitute(string script, ShellSession session)
    {
        var output = new ScriptOutput();
        var child = session.CreateChild(output);
        var status = shell.Run(script, child);
        session.SubstitutionStatus = status;
        if (output.StandardError.Length > 0)
        {
            session.Output.WriteError(output.StandardError);
        }

        // Command substitution drops trailing newlines (bash).
        return output.StandardOutput.TrimEnd('\n');
    }

    /// <summary>A case pattern as a regex: unquoted * ? [..] are glob operators, everything else is literal.</summary>
    internal Regex PatternRegex(ShellWord pattern, ShellSession session)
    {
        var builder = new StringBuilder("^");
        foreach (var part in pattern.Parts)
        {
            if (part is LiteralPart { Quoted: false } literal)
            {
                foreach (var c in literal.Text)
                {
                    builder.Append(c switch
                    {
                        '*' => ".*",
                        '?' => ".",
                        '[' or ']' => c.ToString(),
                        _ => Regex.Escape(c.ToString()),
                    });
                }
            }
            else
            {
                builder.Append(Regex.Escape(ExpandToString(new ShellWord([part]), session)));
            }
        }

        try
        {
            return new Regex(builder.Append('$').ToString(), RegexOptions.Singleline, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException)
        {
            return new Regex("^" + Regex.Escape(ExpandToString(pattern, session)) + "$", RegexOptions.Singleline, TimeSpan.FromSeconds(1));
        }
    }
}
