using System.Text;

namespace LabPortal.Sandbox.Runtime.Shell.Syntax;

/// <summary>
/// Reads one word at the scanner's position: quotes, backslashes, <c>$NAME</c>, <c>${...}</c>,
/// <c>$(...)</c>, backticks and <c>$((...))</c> become the word's parts, unexpanded.
/// </summary>
internal sealed class WordLexer(ShellScanner scanner)
{
    private readonly ShellScanner _scanner = scanner;

    /// <param name="stopAtParenthesis">For case patterns: ")" ends the word.</param>
    /// <param name="wholeText">For ${VAR:-word}: blanks and operators are part of the word.</param>
    public ShellWord ReadWord(bool stopAtParenthesis = false, bool wholeText = false)
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

        while (!_scanner.AtEnd)
        {
            var c = _scanner.Current;
            if (c == '\\')
            {
                if (_scanner.PeekAt(1) == '\n')
                {
                    _scanner.Position += 2;
                    continue;
                }

                if (_scanner.Position + 1 < _scanner.Text.Length)
                {
                    AppendLiteral(_scanner.Text[_scanner.Position + 1].ToString(), quoted: true);
                    _scanner.Position += 2;
                }
                else
                {
                    AppendLiteral("\\", quoted: true);
                    _scanner.Position++;
                }

                continue;
            }

            if (c is '<' or '>' && _scanner.PeekAt(1) == '(')
            {
                // Process substitution "<(cmd)" / ">(cmd)": bash passes a /dev/fd path and runs cmd
                // alongside. The sandbox does not run cmd; the word becomes that path.
                _scanner.Position += 2;
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
                var end = _scanner.Text.IndexOf('\'', _scanner.Position + 1);
                if (end < 0)
                {
                    end = _scanner.Text.Length; // unterminated: bash waits for more input; take the rest.
                }

                AppendLiteral(_scanner.Text[(_scanner.Position + 1)..end], quoted: true);
                if (literal.Length == 0)
                {
                    parts.Add(new LiteralPart("", Quoted: true));
                }

                _scanner.Position = Math.Min(end + 1, _scanner.Text.Length);
                continue;
            }

            if (c == '"')
            {
                Flush();
                _scanner.Position++;
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
            _scanner.Position++;
        }

        Flush();
        return new ShellWord(parts);
    }

    public void ReadDoubleQuotedContent(List<WordPart> parts, bool inHereDocument)
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

        while (!_scanner.AtEnd)
        {
            var c = _scanner.Current;
            if (c == '"' && !inHereDocument)
            {
                _scanner.Position++;
                break;
            }

            if (c == '\\')
            {
                var next = _scanner.PeekAt(1);
                if (next == '\n')
                {
                    _scanner.Position += 2;
                    continue;
                }

                if (next is '$' or '`' or '\\' || (next == '"' && !inHereDocument))
                {
                    literal.Append(next);
                    _scanner.Position += 2;
                    continue;
                }

                literal.Append('\\');
                _scanner.Position++;
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
            _scanner.Position++;
        }

        Flush();
    }

    private bool TryReadDollar(bool quoted, out WordPart part)
    {
        part = null!;
        var next = _scanner.PeekAt(1);
        if (next == '(' && _scanner.PeekAt(2) == '(')
        {
            var close = _scanner.Text.IndexOf("))", _scanner.Position + 3, StringComparison.Ordinal);
            if (close < 0)
            {
                return false;
            }

            part = new ArithmeticPart(ShellParser.ParseHereDocumentBody(_scanner.Text[(_scanner.Position + 3)..close]), quoted);
            _scanner.Position = close + 2;
            return true;
        }

        if (next == '(')
        {
            _scanner.Position += 2;
            var start = _scanner.Position;
            var end = SkipBalancedParentheses() ? _scanner.Position - 1 : _scanner.Position;
            part = new CommandSubstitutionPart(_scanner.Text[start..end], quoted);
            return true;
        }

        if (next == '{')
        {
            var close = _scanner.Text.IndexOf('}', _scanner.Position + 2);
            if (close < 0)
            {
                return false;
            }

            var inner = _scanner.Text[(_scanner.Position + 2)..close];
            _scanner.Position = close + 1;
            if (inner.Length > 1 && inner[0] == '#' && ShellParser.IsName(inner[1..]))
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
                fallback = new WordLexer(new ShellScanner(rest[2..])).ReadWord(wholeText: true);
            }
            else if (rest.StartsWith('-') || rest.StartsWith('='))
            {
                fallback = new WordLexer(new ShellScanner(rest[1..])).ReadWord(wholeText: true);
            }

            part = new ParameterPart(name, fallback, quoted);
            return true;
        }

        if (char.IsAsciiLetter(next) || next == '_')
        {
            var start = _scanner.Position + 1;
            var end = start;
            while (end < _scanner.Text.Length && (char.IsAsciiLetterOrDigit(_scanner.Text[end]) || _scanner.Text[end] == '_'))
            {
                end++;
            }

            part = new ParameterPart(_scanner.Text[start..end], null, quoted);
            _scanner.Position = end;
            return true;
        }

        if (char.IsAsciiDigit(next) || next is '?' or '$' or '#' or '@' or '*' or '!' or '-')
        {
            part = new ParameterPart(next.ToString(), null, quoted);
            _scanner.Position += 2;
            return true;
        }

        return false;
    }

    /// <summary>Moves past the ")" that closes a "$(", minding quotes and nesting; false when unterminated.</summary>
    private bool SkipBalancedParentheses()
    {
        var depth = 1;
        while (!_scanner.AtEnd)
        {
            var c = _scanner.Current;
            _scanner.Position++;
            switch (c)
            {
                case '\\':
                    _scanner.Position = Math.Min(_scanner.Position + 1, _scanner.Text.Length);
                    break;
                case '\'':
                    var end = _scanner.Text.IndexOf('\'', _scanner.Position);
                    _scanner.Position = end < 0 ? _scanner.Text.Length : end + 1;
                    break;
                case '"':
                    while (!_scanner.AtEnd && _scanner.Current != '"')
                    {
                        _scanner.Position += _scanner.Current == '\\' ? 2 : 1;
                    }

                    _scanner.Position = Math.Min(_scanner.Position + 1, _scanner.Text.Length);
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
        _scanner.Position = _scanner.Text.Length;
        return false;
    }

    private string ReadBackquoted()
    {
        var builder = new StringBuilder();
        _scanner.Position++;
        while (!_scanner.AtEnd && _scanner.Current != '`')
        {
            if (_scanner.Current == '\\' && _scanner.PeekAt(1) is '`' or '\\' or '$')
            {
                builder.Append(_scanner.PeekAt(1));
                _scanner.Position += 2;
                continue;
            }

            builder.Append(_scanner.Current);
            _scanner.Position++;
        }

        _scanner.Position = Math.Min(_scanner.Position + 1, _scanner.Text.Length);
        return builder.ToString();
    }
}
