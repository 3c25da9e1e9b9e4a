namespace LabPortal.Sandbox.Runtime.Shell.Syntax;

/// <summary>
/// Reads a redirection at the scanner's position (<c>&gt;</c>, <c>&gt;&gt;</c>, <c>2&gt;&amp;1</c>,
/// <c>&amp;&gt;</c>, <c>&lt;</c>, <c>&lt;&lt;EOF</c>, <c>&lt;&lt;&lt;</c>); here-documents wait in the scanner for their bodies.
/// </summary>
internal sealed class RedirectionLexer(ShellScanner scanner, WordLexer words)
{
    private readonly ShellScanner _scanner = scanner;
    private readonly WordLexer _words = words;

    public bool TryRead(out Redirection redirection)
    {
        redirection = null!;
        var start = _scanner.Position;
        var fd = -2;
        var digits = 0;
        while (char.IsAsciiDigit(_scanner.PeekAt(digits)))
        {
            digits++;
        }

        if (digits > 0 && _scanner.PeekAt(digits) is '>' or '<')
        {
            fd = int.Parse(_scanner.Text.AsSpan(_scanner.Position, digits), provider: System.Globalization.CultureInfo.InvariantCulture);
            _scanner.Position += digits;
        }

        if (_scanner.AtEnd)
        {
            _scanner.Position = start;
            return false;
        }

        if (_scanner.Current == '&' && _scanner.PeekAt(1) == '>')
        {
            // "&>file" and "&>>file": both streams.
            _scanner.Position += _scanner.PeekAt(2) == '>' ? 3 : 2;
            var append = _scanner.Text[_scanner.Position - 1] == '>' && _scanner.Text[_scanner.Position - 2] == '>';
            redirection = new Redirection(-1, append ? RedirectionKind.Append : RedirectionKind.Output, ReadTargetWord(), null);
            return true;
        }

        if (_scanner.Current is '>' or '<' && _scanner.PeekAt(1) == '(')
        {
            _scanner.Position = start; // process substitution: a word, read by ReadWord
            return false;
        }

        if (_scanner.Current == '>')
        {
            _scanner.Position++;
            var kind = RedirectionKind.Output;
            if (!_scanner.AtEnd && _scanner.Current == '>')
            {
                kind = RedirectionKind.Append;
                _scanner.Position++;
            }
            else if (!_scanner.AtEnd && _scanner.Current == '|')
            {
                _scanner.Position++; // ">|" overrides noclobber; the same as ">" here.
            }

            if (kind == RedirectionKind.Output && !_scanner.AtEnd && _scanner.Current == '&')
            {
                _scanner.Position++;
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

        if (_scanner.Current == '<')
        {
            _scanner.Position++;
            if (!_scanner.AtEnd && _scanner.Current == '<')
            {
                _scanner.Position++;
                if (!_scanner.AtEnd && _scanner.Current == '<')
                {
                    _scanner.Position++;
                    redirection = new Redirection(0, RedirectionKind.HereString, ReadTargetWord(), null);
                    return true;
                }

                var stripTabs = false;
                if (!_scanner.AtEnd && _scanner.Current == '-')
                {
                    stripTabs = true;
                    _scanner.Position++;
                }

                _scanner.SkipBlanks();
                var delimiterStart = _scanner.Position;
                _words.ReadWord();
                var raw = _scanner.Text[delimiterStart.._scanner.Position];
                var quoted = raw.IndexOfAny(['\'', '"', '\\']) >= 0;
                var delimiter = raw.Replace("'", "", StringComparison.Ordinal).Replace("\"", "", StringComparison.Ordinal)
                    .Replace("\\", "", StringComparison.Ordinal);
                var document = new HereDocument(delimiter, expand: !quoted, stripTabs);
                _scanner.PendingHereDocuments.Add(document);
                redirection = new Redirection(0, RedirectionKind.HereDocument, null, document);
                return true;
            }

            if (!_scanner.AtEnd && _scanner.Current == '&')
            {
                _scanner.Position++;
                redirection = new Redirection(fd < 0 ? 0 : fd, RedirectionKind.Duplicate, ReadTargetWord(), null);
                return true;
            }

            redirection = new Redirection(fd < 0 ? 0 : fd, RedirectionKind.Input, ReadTargetWord(), null);
            return true;
        }

        _scanner.Position = start;
        return false;
    }

    private ShellWord ReadTargetWord()
    {
        _scanner.SkipBlanks();
        return _words.ReadWord();
    }
}
