using System.Text;
using System.Text.RegularExpressions;

namespace LabPortal.Sandbox.Runtime.Shell.Syntax;

/// <summary>
/// Parses the bash subset students paste into user data and SSM. It never throws: anything it
/// cannot read becomes a word of an (ignored) command, as a lenient shell would run it and fail.
/// </summary>
internal sealed partial class ShellParser
{
    private static readonly HashSet<string> CompoundOpeners = new(StringComparer.Ordinal) { "select", "function" };
    private static readonly HashSet<string> CaseItemEnd = new(StringComparer.Ordinal) { ";;", "esac" };
    private static readonly HashSet<string> CloseBrace = new(StringComparer.Ordinal) { "}" };
    private static readonly HashSet<string> NoTerminators = new(StringComparer.Ordinal);
    private static readonly HashSet<string> Then = new(StringComparer.Ordinal) { "then" };
    private static readonly HashSet<string> AfterIfBody = new(StringComparer.Ordinal) { "elif", "else", "fi" };
    private static readonly HashSet<string> Fi = new(StringComparer.Ordinal) { "fi" };
    private static readonly HashSet<string> Do = new(StringComparer.Ordinal) { "do" };
    private static readonly HashSet<string> Done = new(StringComparer.Ordinal) { "done" };

    private readonly string _text;
    private readonly List<HereDocument> _pendingHereDocuments = [];
    private int _position;

    private ShellParser(string text)
    {
        _text = text;
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
        var parser = new ShellParser(body);
        var parts = new List<WordPart>();
        parser.ReadDoubleQuotedContent(parts, inHereDocument: true);
        return new ShellWord(parts);
    }

    private bool AtEnd => _position >= _text.Length;

    private char Current => _text[_position];

    private char PeekAt(int offset) => _position + offset < _text.Length ? _text[_position + offset] : '\0';

    private ShellScript ParseScript() => new(ParseStatements(NoTerminators, out _));

    /// <summary>
    /// Parses statements until one of <paramref name="terminators"/> stands where a command would
    /// start (it is consumed and returned), or to the end of the text (null).
    /// </summary>
    private List<ShellStatement> ParseStatements(HashSet<string> terminators, out string? terminator)
    {
        var statements = new List<ShellStatement>();
        while (true)
        {
            SkipBlanks();
            if (AtEnd)
            {
                break;
            }

            var c = Current;
            if (c == '\n')
            {
                _position++;
                ReadPendingHereDocuments();
                continue;
            }

            if (c == '#')
            {
                SkipComment();
                continue;
            }

            if (c == ';' && PeekAt(1) == ';' && terminators.Contains(";;"))
            {
                // ";;" ends a case item; ";&" and ";;&" (fall through) are read as ";;".
                _position += PeekAt(2) == '&' ? 3 : 2;
                terminator = ";;";
                return statements;
            }

            if (c == '}' && terminators.Contains("}"))
            {
                _position++;
                terminator = "}";
                return statements;
            }

            if (c == '{' && PeekAt(1) is ' ' or '\t' or '\n')
            {
                var groupStart = _position;
                _position++;
                var group = ParseStatements(CloseBrace, out var closed);
                statements.Add(closed is null ? UnexpectedEnd(groupStart) : new GroupStatement(group, FirstLine(groupStart)));
                continue;
            }

            if (c is ';' or '&' or '|' or ')' or '}')
            {
                // A stray separator (";;", "& &"): bash reports a syntax error; skipping it keeps the rest running.
                _position++;
                continue;
            }

            var start = _position;
            var keyword = PeekKeyword();
            if (keyword is not null && terminators.Contains(keyword))
            {
                _position += keyword.Length;
                terminator = keyword;
                return statements;
            }

            switch (keyword)
            {
                case "if":
                    statements.Add(ParseIf(start));
                    continue;
                case "for" when !_text.AsSpan(start + 3).TrimStart(" \t").StartsWith("((", StringComparison.Ordinal):
                    statements.Add(ParseFor(start));
                    continue;
                case "while" or "until":
                    statements.Add(ParseWhile(start, keyword == "until"));
                    continue;
                case "case":
                    statements.Add(ParseCase(start));
                    continue;
                default:
                    break;
            }

            if (TryParseFunction(start) is { } function)
            {
                statements.Add(function);
                continue;
            }

            if (keyword == "for" || IsCompoundStart())
            {
                statements.Add(ReadUnsupportedBlock());
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

    /// <summary>The reserved word at the current position, if a plain word stands there.</summary>
    private string? PeekKeyword()
    {
        var end = _position;
        while (end < _text.Length && char.IsAsciiLetterLower(_text[end]))
        {
            end++;
        }

        if (end == _position || (end < _text.Length && _text[end] is not (' ' or '\t' or '\n' or ';')))
        {
            return null;
        }

        var word = _text[_position..end];
        return word is "if" or "then" or "elif" or "else" or "fi" or "for" or "while" or "until" or "do" or "done" or "case" or "esac"
            ? word
            : null;
    }

    private ShellStatement ParseIf(int start)
    {
        _position += 2;
        var branches = new List<ConditionalBranch>();
        IReadOnlyList<ShellStatement>? elseBody = null;
        while (true)
        {
            var condition = ParseStatements(Then, out var then);
            if (then is null)
            {
                return UnexpectedEnd(start);
            }

            var body = ParseStatements(AfterIfBody, out var next);
            branches.Add(new ConditionalBranch(condition, body));
            if (next == "elif")
            {
                continue;
            }

            if (next == "else")
            {
                elseBody = ParseStatements(Fi, out var fi);
                if (fi is null)
                {
                    return UnexpectedEnd(start);
                }
            }
            else if (next is null)
            {
                return UnexpectedEnd(start);
            }

            return new IfStatement(branches, elseBody, FirstLine(start));
        }
    }

    private ShellStatement ParseFor(int start)
    {
        _position += 3;
        SkipBlanks();
        var name = ReadWord().LiteralText ?? "";
        if (!IsName(name))
        {
            return new SyntaxErrorStatement($"`{name}': not a valid identifier", FirstLine(start));
        }

        var items = new List<ShellWord>();
        SkipBlanks();
        if (PeekKeyword() is null && _text.AsSpan(_position).StartsWith("in", StringComparison.Ordinal)
            && (_position + 2 >= _text.Length || _text[_position + 2] is ' ' or '\t' or '\n' or ';'))
        {
            _position += 2;
            while (true)
            {
                SkipBlanks();
                if (AtEnd || Current is ';' or '\n')
                {
                    break;
                }

                items.Add(ReadWord());
            }
        }

        return ParseLoopBody(start, body => new ForStatement(name, items, body, FirstLine(start)));
    }

    private ShellStatement ParseWhile(int start, bool until)
    {
        _position += "while".Length; // "until" has the same length
        var condition = ParseStatements(Do, out var @do);
        if (@do is null)
        {
            return UnexpectedEnd(start);
        }

        var body = ParseStatements(Done, out var done);
        return done is null ? UnexpectedEnd(start) : new WhileStatement(condition, body, until, FirstLine(start));
    }

    /// <summary>Reads "name() {", "name () {" or "function name [()] {" (the brace may start the next line).</summary>
    private ShellStatement? TryParseFunction(int start)
    {
        var match = FunctionHeader().Match(_text, _position);
        if (!match.Success || match.Index != _position)
        {
            return null;
        }

        _position += match.Length;
        var body = ParseStatements(CloseBrace, out var close);
        return close is null
            ? UnexpectedEnd(start)
            : new FunctionDefinition(match.Groups["name"].Value, body, FirstLine(start));
    }

    [GeneratedRegex(@"\G(?:function[ \t]+(?<name>[A-Za-z_][\w-]*)[ \t]*(?:\(\))?|(?<name>[A-Za-z_][\w-]*)[ \t]*\(\))[ \t]*\n?[ \t]*\{(?=[ \t\n])")]
    private static partial Regex FunctionHeader();

    private ShellStatement ParseCase(int start)
    {
        _position += "case".Length;
        SkipBlanks();
        var subject = ReadWord();
        SkipBlanks();
        if (!_text.AsSpan(_position).StartsWith("in", StringComparison.Ordinal))
        {
            return new SyntaxErrorStatement("syntax error near `case': expected `in'", FirstLine(start));
        }

        _position += 2;
        var items = new List<CaseItem>();
        while (true)
        {
            SkipBlanksAndNewlines();
            if (AtEnd)
            {
                return UnexpectedEnd(start);
            }

            if (PeekKeyword() == "esac")
            {
                _position += "esac".Length;
                return new CaseStatement(subject, items, FirstLine(start));
            }

            if (Current == '(')
            {
                _position++;
            }

            var patterns = new List<ShellWord>();
            while (true)
            {
                SkipBlanks();
                patterns.Add(ReadWord(stopAtParenthesis: true));
                SkipBlanks();
                if (!AtEnd && Current == '|')
                {
                    _position++;
                    continue;
                }

                if (!AtEnd && Current == ')')
                {
                    _position++;
                    break;
                }

                return UnexpectedEnd(start);
            }

            var body = ParseStatements(CaseItemEnd, out var end);
            items.Add(new CaseItem(patterns, body));
            if (end == "esac")
            {
                return new CaseStatement(subject, items, FirstLine(start));
            }

            if (end is null)
            {
                return UnexpectedEnd(start);
            }
        }
    }

    private ShellStatement ParseLoopBody(int start, Func<IReadOnlyList<ShellStatement>, ShellStatement> create)
    {
        while (!AtEnd && Current is ';' or '\n' or ' ' or '\t')
        {
            _position++;
            if (_text[_position - 1] == '\n')
            {
                ReadPendingHereDocuments();
            }
        }

        if (PeekKeyword() != "do")
        {
            return UnexpectedEnd(start);
        }

        _position += 2;
        var body = ParseStatements(Done, out var done);
        return done is null ? UnexpectedEnd(start) : create(body);
    }

    private SyntaxErrorStatement UnexpectedEnd(int start) => new("syntax error: unexpected end of file", FirstLine(start));

    private string FirstLine(int start)
    {
        var end = _text.IndexOf('\n', start);
        return _text[start..(end < 0 ? _text.Length : end)].Trim();
    }

    private AndOrList? ParseAndOr(int start)
    {
        var first = ParsePipeline();
        var rest = new List<(ListOperator, Pipeline)>();
        var background = false;
        while (true)
        {
            SkipBlanks();
            if (AtEnd)
            {
                break;
            }

            if (Current == '&' && PeekAt(1) == '&')
            {
                _position += 2;
                SkipBlanksAndNewlines();
                rest.Add((ListOperator.And, ParsePipeline()));
                continue;
            }

            if (Current == '|' && PeekAt(1) == '|')
            {
                _position += 2;
                SkipBlanksAndNewlines();
                rest.Add((ListOperator.Or, ParsePipeline()));
                continue;
            }

            if (Current == '&')
            {
                background = true;
                _position++;
            }
            else if (Current == ';' && PeekAt(1) != ';')
            {
                _position++;
            }

            break;
        }

        var source = CleanSource(_text[start.._position]);
        var pipelines = rest.Select(r => r.Item2).Prepend(first);
        return pipelines.All(p => p.Commands.Count == 0) ? null : new AndOrList(first, rest, background, source);
    }

    private Pipeline ParsePipeline()
    {
        var commands = new List<SimpleCommand>();
        SkipBlanks();
        var negated = false;
        if (!AtEnd && Current == '!' && PeekAt(1) is ' ' or '\t')
        {
            negated = true;
            _position++;
        }

        while (true)
        {
            var command = ParseSimpleCommand();
            if (command is not null)
            {
                commands.Add(command);
            }

            SkipBlanks();
            if (!AtEnd && Current == '|' && PeekAt(1) != '|')
            {
                _position++;
                if (!AtEnd && Current == '&')
                {
                    _position++; // "|&" pipes stderr too; the subset treats it as "|".
                }

                SkipBlanksAndNewlines();
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
        SkipBlanks();
        var start = _position;
        while (true)
        {
            SkipBlanks();
            if (AtEnd)
            {
                break;
            }

            var c = Current;
            if (c is '\n' or ';' or '|' || (c == '&' && PeekAt(1) != '>'))
            {
                break;
            }

            if (c == '#')
            {
                SkipComment();
                break;
            }

            if (TryReadRedirection(out var redirection))
            {
                redirections.Add(redirection);
                continue;
            }

            var wordStart = _position;
            var word = ReadWord();
            if (_position == wordStart)
            {
                // A character no rule consumes (cannot happen for valid input); step over it.
                _position++;
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

        return new SimpleCommand(assignments, words, redirections, CleanSource(_text[start.._position]));
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

    private bool TryReadRedirection(out Redirection redirection)
    {
        redirection = null!;
        var start = _position;
        var fd = -2;
        var digits = 0;
        while (char.IsAsciiDigit(PeekAt(digits)))
        {
            digits++;
        }

        if (digits > 0 && PeekAt(digits) is '>' or '<')
        {
            fd = int.Parse(_text.AsSpan(_position, digits), provider: System.Globalization.CultureInfo.InvariantCulture);
            _position += digits;
        }

        if (AtEnd)
        {
            _position = start;
            return false;
        }

        if (Current == '&' && PeekAt(1) == '>')
        {
            // "&>file" and "&>>file": both streams.
            _position += PeekAt(2) == '>' ? 3 : 2;
            var append = _text[_position - 1] == '>' && _text[_position - 2] == '>';
            redirection = new Redirection(-1, append ? RedirectionKind.Append : RedirectionKind.Output, ReadTargetWord(), null);
            return true;
        }

        if (Current is '>' or '<' && PeekAt(1) == '(')
        {
            _position = start; // process substitution: a word, read by ReadWord
            return false;
        }

        if (Current == '>')
        {
            _position++;
            var kind = RedirectionKind.Output;
            if (!AtEnd && Current == '>')
            {
                kind = RedirectionKind.Append;
                _position++;
            }
            else if (!AtEnd && Current == '|')
            {
                _position++; // ">|" overrides noclobber; the same as ">" here.
            }

            if (kind == RedirectionKind.Output && !AtEnd && Current == '&')
            {
                _position++;
                var target = ReadTargetWord();
                // ">&file" (not a digit) means both streams to the file, like "&>".
                redirection = target.LiteralText is { } t && t.All(char.IsAsciiDigit) && t.Length > 0
                    ? new Redirection(fd < 0 ? 1 : fd, RedirectionKind.Duplicate, target, null)
                    : new Redirection(-1, RedirectionKind.Output, target, null);
                return true;
            }

            redirection = new Redirection(fd < 0 ? 1 : fd, kind, ReadTargetWord(), null);
            return true;
        }

        if (Current == '<')
        {
            _position++;
            if (!AtEnd && Current == '<')
            {
                _position++;
                if (!AtEnd && Current == '<')
                {
                    _position++;
                    redirection = new Redirection(0, RedirectionKind.HereString, ReadTargetWord(), null);
                    return true;
                }

                var stripTabs = false;
                if (!AtEnd && Current == '-')
                {
                    stripTabs = true;
                    _position++;
                }

                SkipBlanks();
                var delimiterStart = _position;
                ReadWord();
                var raw = _text[delimiterStart.._position];
                var quoted = raw.IndexOfAny(['\'', '"', '\\']) >= 0;
                var delimiter = raw.Replace("'", "", StringComparison.Ordinal).Replace("\"", "", StringComparison.Ordinal)
                    .Replace("\\", "", StringComparison.Ordinal);
                var document = new HereDocument(delimiter, expand: !quoted, stripTabs);
                _pendingHereDocuments.Add(document);
                redirection = new Redirection(0, RedirectionKind.HereDocument, null, document);
                return true;
            }

            if (!AtEnd && Current == '&')
            {
                _position++;
                redirection = new Redirection(fd < 0 ? 0 : fd, RedirectionKind.Duplicate, ReadTargetWord(), null);
                return true;
            }

            redirection = new Redirection(fd < 0 ? 0 : fd, RedirectionKind.Input, ReadTargetWord(), null);
            return true;
        }

        _position = start;
        return false;
    }

    private ShellWord ReadTargetWord()
    {
        SkipBlanks();
        return ReadWord();
    }

    /// <param name="stopAtParenthesis">For case patterns: ")" ends the word.</param>
    /// <param name="wholeText">For ${VAR:-word}: blanks and operators are part of the word.</param>
    private ShellWord ReadWord(bool stopAtParenthesis = false, bool wholeText = false)
    {
        var parts = new List<WordPart>();
        var literal = new StringBuilder();
        var literalQuoted = false;

        void Flush()
        {
            if (literal.Length > 0)
            {
                parts.Add(new LiteralPart(literal.ToString(), literalQuoted));
                literal.Clear();
            }
        }

        void AppendLiteral(string text, bool quoted)
        {
            if (literal.Length > 0 && literalQuoted != quoted)
            {
                Flush();
            }

            literalQuoted = quoted;
            literal.Append(text);
        }

        while (!AtEnd)
        {
            var c = Current;
            if (c == '\\')
            {
                if (PeekAt(1) == '\n')
                {
                    _position += 2;
                    continue;
                }

                if (_position + 1 < _text.Length)
                {
                    AppendLiteral(_text[_position + 1].ToString(), quoted: true);
                    _position += 2;
                }
                else
                {
                    AppendLiteral("\\", quoted: true);
                    _position++;
                }

                continue;
            }

            if (c is '<' or '>' && PeekAt(1) == '(')
            {
                // Process substitution "<(cmd)" / ">(cmd)": bash passes a /dev/fd path and runs cmd
                // alongside. The sandbox does not run cmd; the word becomes that path.
                _position += 2;
                SkipBalancedParentheses();
                AppendLiteral("/dev/fd/63", quoted: true);
                continue;
            }

            if (!wholeText && (c is ' ' or '\t' or '\n' or ';' or '&' or '|' or '<' or '>' || (stopAtParenthesis && c == ')')))
            {
                break;
            }

            if (c == '\'')
            {
                var end = _text.IndexOf('\'', _position + 1);
                if (end < 0)
                {
                    end = _text.Length; // unterminated: bash waits for more input; take the rest.
                }

                AppendLiteral(_text[(_position + 1)..end], quoted: true);
                if (literal.Length == 0)
                {
                    parts.Add(new LiteralPart("", Quoted: true));
                }

                _position = Math.Min(end + 1, _text.Length);
                continue;
            }

            if (c == '"')
            {
                Flush();
                _position++;
                var before = parts.Count;
                ReadDoubleQuotedContent(parts, inHereDocument: false);
                if (parts.Count == before)
                {
                    parts.Add(new LiteralPart("", Quoted: true)); // "" is an empty field, not nothing.
                }

                continue;
            }

            if (c == '$' && TryReadDollar(quoted: false, out var expansion))
            {
                Flush();
                parts.Add(expansion);
                continue;
            }

            if (c == '`')
            {
                Flush();
                parts.Add(new CommandSubstitutionPart(ReadBackquoted(), Quoted: false));
                continue;
            }

            AppendLiteral(c.ToString(), quoted: false);
            _position++;
        }

        Flush();
        return new ShellWord(parts);
    }

    private void ReadDoubleQuotedContent(List<WordPart> parts, bool inHereDocument)
    {
        var literal = new StringBuilder();

        void Flush()
        {
            if (literal.Length > 0)
            {
                parts.Add(new LiteralPart(literal.ToString(), Quoted: true));
                literal.Clear();
            }
        }

        while (!AtEnd)
        {
            var c = Current;
            if (c == '"' && !inHereDocument)
            {
                _position++;
                break;
            }

            if (c == '\\')
            {
                var next = PeekAt(1);
                if (next == '\n')
                {
                    _position += 2;
                    continue;
                }

                if (next is '$' or '`' or '\\' || (next == '"' && !inHereDocument))
                {
                    literal.Append(next);
                    _position += 2;
                    continue;
                }

                literal.Append('\\');
                _position++;
                continue;
            }

            if (c == '$' && TryReadDollar(quoted: true, out var expansion))
            {
                Flush();
                parts.Add(expansion);
                continue;
            }

            if (c == '`')
            {
                Flush();
                parts.Add(new CommandSubstitutionPart(ReadBackquoted(), Quoted: true));
                continue;
            }

            literal.Append(c);
            _position++;
        }

        Flush();
    }

    private bool TryReadDollar(bool quoted, out WordPart part)
    {
        part = null!;
        var next = PeekAt(1);
        if (next == '(' && PeekAt(2) == '(')
        {
            var close = _text.IndexOf("))", _position + 3, StringComparison.Ordinal);
            if (close < 0)
            {
                return false;
            }

            part = new ArithmeticPart(ParseHereDocumentBody(_text[(_position + 3)..close]), quoted);
            _position = close + 2;
            return true;
        }

        if (next == '(')
        {
            _position += 2;
            var start = _position;
            var end = SkipBalancedParentheses() ? _position - 1 : _position;
            part = new CommandSubstitutionPart(_text[start..end], quoted);
            return true;
        }

        if (next == '{')
        {
            var close = _text.IndexOf('}', _position + 2);
            if (close < 0)
            {
                return false;
            }

            var inner = _text[(_position + 2)..close];
            _position = close + 1;
            if (inner.Length > 1 && inner[0] == '#' && IsName(inner[1..]))
            {
                part = new ParameterPart(inner[1..], null, quoted, Length: true);
                return true;
            }

            var operatorIndex = inner.IndexOfAny([':', '-', '=', '+', '?', '#', '%', '/']);
            if (operatorIndex < 0)
            {
                part = new ParameterPart(inner, null, quoted);
                return true;
            }

            var name = inner[..operatorIndex];
            var rest = inner[operatorIndex..];
            // ${VAR:-default} and ${VAR-default} are common in scripts; other operators expand to the plain value.
            ShellWord? fallback = null;
            if (rest.StartsWith(":-", StringComparison.Ordinal) || rest.StartsWith(":=", StringComparison.Ordinal))
            {
                fallback = new ShellParser(rest[2..]).ReadWord(wholeText: true);
            }
            else if (rest.StartsWith('-') || rest.StartsWith('='))
            {
                fallback = new ShellParser(rest[1..]).ReadWord(wholeText: true);
            }

            part = new ParameterPart(name, fallback, quoted);
            return true;
        }

        if (char.IsAsciiLetter(next) || next == '_')
        {
            var start = _position + 1;
            var end = start;
            while (end < _text.Length && (char.IsAsciiLetterOrDigit(_text[end]) || _text[end] == '_'))
            {
                end++;
            }

            part = new ParameterPart(_text[start..end], null, quoted);
            _position = end;
            return true;
        }

        if (char.IsAsciiDigit(next) || next is '?' or '$' or '#' or '@' or '*' or '!' or '-')
        {
            part = new ParameterPart(next.ToString(), null, quoted);
            _position += 2;
            return true;
        }

        return false;
    }

    /// <summary>Moves past the ")" that closes a "$(", minding quotes and nesting; false when unterminated.</summary>
    private bool SkipBalancedParentheses()
    {
        var depth = 1;
        while (!AtEnd)
        {
            var c = Current;
            _position++;
            switch (c)
            {
                case '\\':
                    _position = Math.Min(_position + 1, _text.Length);
                    break;
                case '\'':
                    var end = _text.IndexOf('\'', _position);
                    _position = end < 0 ? _text.Length : end + 1;
                    break;
                case '"':
                    while (!AtEnd && Current != '"')
                    {
                        _position += Current == '\\' ? 2 : 1;
                    }

                    _position = Math.Min(_position + 1, _text.Length);
                    break;
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    if (depth == 0)
                    {
                        return true;
                    }

                    break;
            }
        }

        // Unterminated: bash would wait for more input; the caller takes everything to the end.
        _position = _text.Length;
        return false;
    }

    private string ReadBackquoted()
    {
        var builder = new StringBuilder();
        _position++;
        while (!AtEnd && Current != '`')
        {
            if (Current == '\\' && PeekAt(1) is '`' or '\\' or '$')
            {
                builder.Append(PeekAt(1));
                _position += 2;
                continue;
            }

            builder.Append(Current);
            _position++;
        }

        _position = Math.Min(_position + 1, _text.Length);
        return builder.ToString();
    }

    private void ReadPendingHereDocuments()
    {
        foreach (var document in _pendingHereDocuments)
        {
            var body = new StringBuilder();
            while (!AtEnd)
            {
                var lineEnd = _text.IndexOf('\n', _position);
                var line = lineEnd < 0 ? _text[_position..] : _text[_position..lineEnd];
                _position = lineEnd < 0 ? _text.Length : lineEnd + 1;
                if (document.StripTabs)
                {
                    line = line.TrimStart('\t');
                }

                if (string.Equals(line, document.Delimiter, StringComparison.Ordinal))
                {
                    break;
                }

                // A missing delimiter: bash warns "here-document delimited by end-of-file" and uses what it read.
                body.Append(line).Append('\n');
            }

            document.Body = body.ToString();
        }

        _pendingHereDocuments.Clear();
    }

    private bool IsCompoundStart()
    {
        var end = _position;
        while (end < _text.Length && (char.IsAsciiLetterOrDigit(_text[end]) || _text[end] is '_' or '-'))
        {
            end++;
        }

        var word = _text[_position..end];
        if (CompoundOpeners.Contains(word) && (end >= _text.Length || _text[end] is ' ' or '\t' or '\n' or ';'))
        {
            return true;
        }

        // name() { ... }: a function definition.
        var rest = _text.AsSpan(end).TrimStart(" \t");
        return word.Length > 0 && rest.StartsWith("()", StringComparison.Ordinal);
    }

    /// <summary>
    /// Skips a compound command by counting its keywords line by line (if/fi, for/done, case/esac,
    /// braces). Approximate, but it only decides how much text to report as ignored.
    /// </summary>
    private UnsupportedBlock ReadUnsupportedBlock()
    {
        var start = _position;
        var depth = 0;
        while (!AtEnd)
        {
            var lineEnd = _text.IndexOf('\n', _position);
            var line = lineEnd < 0 ? _text[_position..] : _text[_position..lineEnd];
            _position = lineEnd < 0 ? _text.Length : lineEnd + 1;
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

        return new UnsupportedBlock(_text[start.._position].TrimEnd('\n'));
    }

    private void SkipBlanks()
    {
        while (!AtEnd)
        {
            if (Current is ' ' or '\t')
            {
                _position++;
            }
            else if (Current == '\\' && PeekAt(1) == '\n')
            {
                _position += 2;
            }
            else
            {
                break;
            }
        }
    }

    private void SkipBlanksAndNewlines()
    {
        while (true)
        {
            SkipBlanks();
            if (!AtEnd && Current == '\n')
            {
                _position++;
                ReadPendingHereDocuments();
                continue;
            }

            if (!AtEnd && Current == '#')
            {
                SkipComment();
                continue;
            }

            return;
        }
    }

    private void SkipComment()
    {
        var end = _text.IndexOf('\n', _position);
        _position = end < 0 ? _text.Length : end;
    }

    private static string CleanSource(string source) =>
        Continuation().Replace(source, " ").Trim().TrimEnd(';', '&').TrimEnd();

    [GeneratedRegex(@"[ \t]*\\\n[ \t]*")]
    private static partial Regex Continuation();
}
