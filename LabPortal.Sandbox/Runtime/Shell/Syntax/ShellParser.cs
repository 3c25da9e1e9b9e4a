using System.Text.RegularExpressions;

namespace LabPortal.Sandbox.Runtime.Shell.Syntax;

/// <summary>
/// Parses the bash subset students paste into user data and SSM. It never throws: anything it
/// cannot read becomes a word of an (ignored) command, as a lenient shell would run it and fail.
/// This class parses statement lists, and-or lists, pipelines and simple commands; words,
/// redirections and compound commands have their own readers beside it.
/// </summary>
internal sealed partial class ShellParser
{
    internal static readonly HashSet<string> CloseBrace = new(StringComparer.Ordinal) { "}" };
    private static readonly HashSet<string> NoTerminators = new(StringComparer.Ordinal);

    private readonly ShellScanner _scanner;
    private readonly WordLexer _words;
    private readonly RedirectionLexer _redirections;
    private readonly CompoundParser _compound;

    private ShellParser(string text)
    {
        _scanner = new ShellScanner(text);
        _words = new WordLexer(_scanner);
        _redirections = new RedirectionLexer(_scanner, _words);
        _compound = new CompoundParser(_scanner, _words, this);
    }

    public static ShellScript Parse(string text)
    {
        // Scripts pasted from Windows carry CRLF; bash would choke on the CR ("bad interpreter")
        // but a student cannot see it, so the sandbox reads them as Unix text.
        var normalized = (text ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        return new ShellParser(normalized).ParseScript();
    }

    /// <summary>Parses the body of an unquoted here-document, where <c>$</c>, backticks and <c>\</c> are special.</summary>
    public static ShellWord ParseHereDocumentBody(string body)
    {
        var parts = new List<WordPart>();
        new WordLexer(new ShellScanner(body)).ReadDoubleQuotedContent(parts, inHereDocument: true);
        return new ShellWord(parts);
    }

    private ShellScript ParseScript() => new(ParseStatements(NoTerminators, out _));

    /// <summary>
    /// Parses statements until one of <paramref name="terminators"/> stands where a command would
    /// start (it is consumed and returned), or to the end of the text (null).
    /// </summary>
    public List<ShellStatement> ParseStatements(HashSet<string> terminators, out string? terminator)
    {
        var statements = new List<ShellStatement>();
        while (true)
        {
            _scanner.SkipBlanks();
            if (_scanner.AtEnd)
            {
                break;
            }

            var c = _scanner.Current;
            if (c == '\n')
            {
                _scanner.Position++;
                _scanner.ReadPendingHereDocuments();
                continue;
            }

            if (c == '#')
            {
                _scanner.SkipComment();
                continue;
            }

            if (c == ';' && _scanner.PeekAt(1) == ';' && terminators.Contains(";;"))
            {
                // ";;" ends a case item; ";&" and ";;&" (fall through) are read as ";;".
                _scanner.Position += _scanner.PeekAt(2) == '&' ? 3 : 2;
                terminator = ";;";
                return statements;
            }

            if (c == '}' && terminators.Contains("}"))
            {
                _scanner.Position++;
                terminator = "}";
                return statements;
            }

            if (c == '{' && _scanner.PeekAt(1) is ' ' or '\t' or '\n')
            {
                var groupStart = _scanner.Position;
                _scanner.Position++;
                var group = ParseStatements(CloseBrace, out var closed);
                statements.Add(closed is null ? _compound.UnexpectedEnd(groupStart) : new GroupStatement(group, _scanner.FirstLine(groupStart)));
                continue;
            }

            if (c is ';' or '&' or '|' or ')' or '}')
            {
                // A stray separator (";;", "& &"): bash reports a syntax error; skipping it keeps the rest running.
                _scanner.Position++;
                continue;
            }

            var start = _scanner.Position;
            var keyword = _scanner.PeekKeyword();
            if (keyword is not null && terminators.Contains(keyword))
            {
                _scanner.Position += keyword.Length;
                terminator = keyword;
                return statements;
            }

            switch (keyword)
            {
                case "if":
                    statements.Add(_compound.ParseIf(start));
                    continue;
                case "for" when !_scanner.Text.AsSpan(start + 3).TrimStart(" \t").StartsWith("((", StringComparison.Ordinal):
                    statements.Add(_compound.ParseFor(start));
                    continue;
                case "while" or "until":
                    statements.Add(_compound.ParseWhile(start, keyword == "until"));
                    continue;
                case "case":
                    statements.Add(_compound.ParseCase(start));
                    continue;
                default:
                    break;
            }

            if (_compound.TryParseFunction(start) is { } function)
            {
                statements.Add(function);
                continue;
            }

            if (keyword == "for" || _compound.IsCompoundStart())
            {
                statements.Add(_compound.ReadUnsupportedBlock());
                continue;
            }

            var list = ParseAndOr(start);
            if (list is not null)
            {
                statements.Add(list);
            }
        }

        terminator = null;
        return statements;
    }

    private AndOrList? ParseAndOr(int start)
    {
        var first = ParsePipeline();
        var rest = new List<(ListOperator, Pipeline)>();
        var background = false;
        while (true)
        {
            _scanner.SkipBlanks();
            if (_scanner.AtEnd)
            {
                break;
            }

            if (_scanner.Current == '&' && _scanner.PeekAt(1) == '&')
            {
                _scanner.Position += 2;
                _scanner.SkipBlanksAndNewlines();
                rest.Add((ListOperator.And, ParsePipeline()));
                continue;
            }

            if (_scanner.Current == '|' && _scanner.PeekAt(1) == '|')
            {
                _scanner.Position += 2;
                _scanner.SkipBlanksAndNewlines();
                rest.Add((ListOperator.Or, ParsePipeline()));
                continue;
            }

            if (_scanner.Current == '&')
            {
                background = true;
                _scanner.Position++;
            }
            else if (_scanner.Current == ';' && _scanner.PeekAt(1) != ';')
            {
                _scanner.Position++;
            }

            break;
        }

        var source = CleanSource(_scanner.Text[start.._scanner.Position]);
        var pipelines = rest.Select(r => r.Item2).Prepend(first);
        return pipelines.All(p => p.Commands.Count == 0) ? null : new AndOrList(first, rest, background, source);
    }

    private Pipeline ParsePipeline()
    {
        var commands = new List<SimpleCommand>();
        _scanner.SkipBlanks();
        var negated = false;
        if (!_scanner.AtEnd && _scanner.Current == '!' && _scanner.PeekAt(1) is ' ' or '\t')
        {
            negated = true;
            _scanner.Position++;
        }

        while (true)
        {
            var command = ParseSimpleCommand();
            if (command is not null)
            {
                commands.Add(command);
            }

            _scanner.SkipBlanks();
            if (!_scanner.AtEnd && _scanner.Current == '|' && _scanner.PeekAt(1) != '|')
            {
                _scanner.Position++;
                if (!_scanner.AtEnd && _scanner.Current == '&')
                {
                    _scanner.Position++; // "|&" pipes stderr too; the subset treats it as "|".
                }

                _scanner.SkipBlanksAndNewlines();
                continue;
            }

            return new Pipeline(commands, negated);
        }
    }

    private SimpleCommand? ParseSimpleCommand()
    {
        var assignments = new List<Assignment>();
        var words = new List<ShellWord>();
        var redirections = new List<Redirection>();
        _scanner.SkipBlanks();
        var start = _scanner.Position;
        while (true)
        {
            _scanner.SkipBlanks();
            if (_scanner.AtEnd)
            {
                break;
            }

            var c = _scanner.Current;
            if (c is '\n' or ';' or '|' || (c == '&' && _scanner.PeekAt(1) != '>'))
            {
                break;
            }

            if (c == '#')
            {
                _scanner.SkipComment();
                break;
            }

            if (_redirections.TryRead(out var redirection))
            {
                redirections.Add(redirection);
                continue;
            }

            var wordStart = _scanner.Position;
            var word = _words.ReadWord();
            if (_scanner.Position == wordStart)
            {
                // A character no rule consumes (cannot happen for valid input); step over it.
                _scanner.Position++;
                continue;
            }

            if (words.Count == 0 && TryAsAssignment(word, out var assignment))
            {
                assignments.Add(assignment);
                continue;
            }

            words.Add(word);
        }

        if (assignments.Count == 0 && words.Count == 0 && redirections.Count == 0)
        {
            return null;
        }

        return new SimpleCommand(assignments, words, redirections, CleanSource(_scanner.Text[start.._scanner.Position]));
    }

    private static bool TryAsAssignment(ShellWord word, out Assignment assignment)
    {
        assignment = null!;
        if (word.Parts.Count == 0 || word.Parts[0] is not LiteralPart { Quoted: false } first)
        {
            return false;
        }

        var equals = first.Text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0 || !IsName(first.Text[..equals]))
        {
            return false;
        }

        var valueParts = new List<WordPart>();
        if (equals + 1 < first.Text.Length)
        {
            valueParts.Add(new LiteralPart(first.Text[(equals + 1)..], Quoted: true));
        }

        // The value of an assignment is not split into fields (bash), so every part counts as quoted.
        foreach (var part in word.Parts.Skip(1))
        {
            valueParts.Add(part switch
            {
                LiteralPart l => l with { Quoted = true },
                ParameterPart p => p with { Quoted = true },
                CommandSubstitutionPart s => s with { Quoted = true },
                _ => part,
            });
        }

        assignment = new Assignment(first.Text[..equals], new ShellWord(valueParts));
        return true;
    }

    internal static bool IsName(string text) =>
        text.Length > 0 && (char.IsAsciiLetter(text[0]) || text[0] == '_') && text.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_');

    private static string CleanSource(string source) =>
        Continuation().Replace(source, " ").Trim().TrimEnd(';', '&').TrimEnd();

    [GeneratedRegex(@"[ \t]*\\\n[ \t]*")]
    private static partial Regex Continuation();
}
