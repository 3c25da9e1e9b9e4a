using System.Text.RegularExpressions;

namespace LabPortal.Sandbox.Runtime.Shell.Syntax;

/// <summary>
/// Parses compound commands: <c>if</c>, <c>for</c>, <c>while</c>/<c>until</c>, <c>case</c> and
/// function definitions, with their bodies parsed by <see cref="ShellParser"/>; the compound
/// commands the subset does not run are skipped as one ignored block.
/// </summary>
internal sealed partial class CompoundParser(ShellScanner scanner, WordLexer words, ShellParser parser)
{
    private static readonly HashSet<string> CompoundOpeners = new(StringComparer.Ordinal) { "select", "function" };
    private static readonly HashSet<string> CaseItemEnd = new(StringComparer.Ordinal) { ";;", "esac" };
    private static readonly HashSet<string> Then = new(StringComparer.Ordinal) { "then" };
    private static readonly HashSet<string> AfterIfBody = new(StringComparer.Ordinal) { "elif", "else", "fi" };
    private static readonly HashSet<string> Fi = new(StringComparer.Ordinal) { "fi" };
    private static readonly HashSet<string> Do = new(StringComparer.Ordinal) { "do" };
    private static readonly HashSet<string> Done = new(StringComparer.Ordinal) { "done" };

    private readonly ShellScanner _scanner = scanner;
    private readonly WordLexer _words = words;
    private readonly ShellParser _parser = parser;

    public ShellStatement ParseIf(int start)
    {
        _scanner.Position += 2;
        var branches = new List<ConditionalBranch>();
        IReadOnlyList<ShellStatement>? elseBody = null;
        while (true)
        {
            var condition = _parser.ParseStatements(Then, out var then);
            if (then is null)
            {
                return UnexpectedEnd(start);
            }

            var body = _parser.ParseStatements(AfterIfBody, out var next);
            branches.Add(new ConditionalBranch(condition, body));
            if (next == "elif")
            {
                continue;
            }

            if (next == "else")
            {
                elseBody = _parser.ParseStatements(Fi, out var fi);
                if (fi is null)
                {
                    return UnexpectedEnd(start);
                }
            }
            else if (next is null)
            {
                return UnexpectedEnd(start);
            }

            return new IfStatement(branches, elseBody, _scanner.FirstLine(start));
        }
    }

    public ShellStatement ParseFor(int start)
    {
        _scanner.Position += 3;
        _scanner.SkipBlanks();
        var name = _words.ReadWord().LiteralText ?? "";
        if (!ShellParser.IsName(name))
        {
            return new SyntaxErrorStatement($"`{name}': not a valid identifier", _scanner.FirstLine(start));
        }

        var items = new List<ShellWord>();
        _scanner.SkipBlanks();
        if (_scanner.PeekKeyword() is null && _scanner.Text.AsSpan(_scanner.Position).StartsWith("in", StringComparison.Ordinal)
            && (_scanner.Position + 2 >= _scanner.Text.Length || _scanner.Text[_scanner.Position + 2] is ' ' or '\t' or '\n' or ';'))
        {
            _scanner.Position += 2;
            while (true)
            {
                _scanner.SkipBlanks();
                if (_scanner.AtEnd || _scanner.Current is ';' or '\n')
                {
                    break;
                }

                items.Add(_words.ReadWord());
            }
        }

        return ParseLoopBody(start, body => new ForStatement(name, items, body, _scanner.FirstLine(start)));
    }

    public ShellStatement ParseWhile(int start, bool until)
    {
        _scanner.Position += "while".Length; // "until" has the same length
        var condition = _parser.ParseStatements(Do, out var @do);
        if (@do is null)
        {
            return UnexpectedEnd(start);
        }

        var body = _parser.ParseStatements(Done, out var done);
        return done is null ? UnexpectedEnd(start) : new WhileStatement(condition, body, until, _scanner.FirstLine(start));
    }

    /// <summary>Reads "name() {", "name () {" or "function name [()] {" (the brace may start the next line).</summary>
    public ShellStatement? TryParseFunction(int start)
    {
        var match = FunctionHeader().Match(_scanner.Text, _scanner.Position);
        if (!match.Success || match.Index != _scanner.Position)
        {
            return null;
        }

        _scanner.Position += match.Length;
        var body = _parser.ParseStatements(ShellParser.CloseBrace, out var close);
        return close is null
            ? UnexpectedEnd(start)
            : new FunctionDefinition(match.Groups["name"].Value, body, _scanner.FirstLine(start));
    }

    [GeneratedRegex(@"\G(?:function[ \t]+(?<name>[A-Za-z_][\w-]*)[ \t]*(?:\(\))?|(?<name>[A-Za-z_][\w-]*)[ \t]*\(\))[ \t]*\n?[ \t]*\{(?=[ \t\n])")]
    private static partial Regex FunctionHeader();

    public ShellStatement ParseCase(int start)
    {
        _scanner.Position += "case".Length;
        _scanner.SkipBlanks();
        var subject = _words.ReadWord();
        _scanner.SkipBlanks();
        if (!_scanner.Text.AsSpan(_scanner.Position).StartsWith("in", StringComparison.Ordinal))
        {
            return new SyntaxErrorStatement("syntax error near `case': expected `in'", _scanner.FirstLine(start));
        }

        _scanner.Position += 2;
        var items = new List<CaseItem>();
        while (true)
        {
            _scanner.SkipBlanksAndNewlines();
            if (_scanner.AtEnd)
            {
                return UnexpectedEnd(start);
            }

            if (_scanner.PeekKeyword() == "esac")
            {
                _scanner.Position += "esac".Length;
                return new CaseStatement(subject, items, _scanner.FirstLine(start));
            }

            if (_scanner.Current == '(')
            {
                _scanner.Position++;
            }

            var patterns = new List<ShellWord>();
            while (true)
            {
                _scanner.SkipBlanks();
                patterns.Add(_words.ReadWord(stopAtParenthesis: true));
                _scanner.SkipBlanks();
                if (!_scanner.AtEnd && _scanner.Current == '|')
                {
                    _scanner.Position++;
                    continue;
                }

                if (!_scanner.AtEnd && _scanner.Current == ')')
                {
                    _scanner.Position++;
                    break;
                }

                return UnexpectedEnd(start);
            }

            var body = _parser.ParseStatements(CaseItemEnd, out var end);
            items.Add(new CaseItem(patterns, body));
            if (end == "esac")
            {
                return new CaseStatement(subject, items, _scanner.FirstLine(start));
            }

            if (end is null)
            {
                return UnexpectedEnd(start);
            }
        }
    }

    private ShellStatement ParseLoopBody(int start, Func<IReadOnlyList<ShellStatement>, ShellStatement> create)
    {
        while (!_scanner.AtEnd && _scanner.Current is ';' or '\n' or ' ' or '\t')
        {
            _scanner.Position++;
            if (_scanner.Text[_scanner.Position - 1] == '\n')
            {
                _scanner.ReadPendingHereDocuments();
            }
        }

        if (_scanner.PeekKeyword() != "do")
        {
            return UnexpectedEnd(start);
        }

        _scanner.Position += 2;
        var body = _parser.ParseStatements(Done, out var done);
        return done is null ? UnexpectedEnd(start) : create(body);
    }

    public SyntaxErrorStatement UnexpectedEnd(int start) => new("syntax error: unexpected end of file", _scanner.FirstLine(start));

    public bool IsCompoundStart()
    {
        var end = _scanner.Position;
        while (end < _scanner.Text.Length && (char.IsAsciiLetterOrDigit(_scanner.Text[end]) || _scanner.Text[end] is '_' or '-'))
        {
            end++;
        }

        var word = _scanner.Text[_scanner.Position..end];
        if (CompoundOpeners.Contains(word) && (end >= _scanner.Text.Length || _scanner.Text[end] is ' ' or '\t' or '\n' or ';'))
        {
            return true;
        }

        // name() { ... }: a function definition.
        var rest = _scanner.Text.AsSpan(end).TrimStart(" \t");
        return word.Length > 0 && rest.StartsWith("()", StringComparison.Ordinal);
    }

    /// <summary>
    /// Skips a compound command by counting its keywords line by line (if/fi, for/done, case/esac,
    /// braces). Approximate, but it only decides how much text to report as ignored.
    /// </summary>
    public UnsupportedBlock ReadUnsupportedBlock()
    {
        var start = _scanner.Position;
        var depth = 0;
        while (!_scanner.AtEnd)
        {
            var lineEnd = _scanner.Text.IndexOf('\n', _scanner.Position);
            var line = lineEnd < 0 ? _scanner.Text[_scanner.Position..] : _scanner.Text[_scanner.Position..lineEnd];
            _scanner.Position = lineEnd < 0 ? _scanner.Text.Length : lineEnd + 1;
            foreach (var token in line.Split([' ', '\t', ';'], StringSplitOptions.RemoveEmptyEntries))
            {
                if (token.StartsWith('#'))
                {
                    break;
                }

                switch (token)
                {
                    case "if" or "case" or "while" or "until" or "for" or "select" or "{":
                        depth++;
                        break;
                    case "fi" or "esac" or "done" or "}":
                        depth--;
                        break;
                    default:
                        if (token.EndsWith('{'))
                        {
                            depth++;
                        }

                        break;
                }
            }

            if (depth <= 0)
            {
                break;
            }
        }

        return new UnsupportedBlock(_scanner.Text[start.._scanner.Position].TrimEnd('\n'));
    }
}
