using System.Text;

namespace LabPortal.Sandbox.Runtime.Shell.Syntax;

/// <summary>
/// The text being parsed and the position in it, with what every part of the parser shares:
/// blanks, comments, line continuations, reserved words, and the bodies of here-documents
/// (read when the parser reaches the line after their command).
/// </summary>
internal sealed class ShellScanner(string text)
{
    public string Text { get; } = text;

    public int Position { get; set; }

    /// <summary>Here-documents whose bodies start after the current line.</summary>
    public List<HereDocument> PendingHereDocuments { get; } = [];

    public bool AtEnd => Position >= Text.Length;

    public char Current => Text[Position];

    public char PeekAt(int offset) => Position + offset < Text.Length ? Text[Position + offset] : '\0';

    /// <summary>The reserved word at the current position, if a plain word stands there.</summary>
    public string? PeekKeyword()
    {
        var end = Position;
        while (end < Text.Length && char.IsAsciiLetterLower(Text[end]))
        {
            end++;
        }

        if (end == Position || (end < Text.Length && Text[end] is not (' ' or '\t' or '\n' or ';')))
        {
            return null;
        }

        var word = Text[Position..end];
        return word is "if" or "then" or "elif" or "else" or "fi" or "for" or "while" or "until" or "do" or "done" or "case" or "esac"
            ? word
            : null;
    }

    public string FirstLine(int start)
    {
        var end = Text.IndexOf('\n', start);
        return Text[start..(end < 0 ? Text.Length : end)].Trim();
    }

    public void ReadPendingHereDocuments()
    {
        foreach (var document in PendingHereDocuments)
        {
            var body = new StringBuilder();
            while (!AtEnd)
            {
                var lineEnd = Text.IndexOf('\n', Position);
                var line = lineEnd < 0 ? Text[Position..] : Text[Position..lineEnd];
                Position = lineEnd < 0 ? Text.Length : lineEnd + 1;
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

        PendingHereDocuments.Clear();
    }

    public void SkipBlanks()
    {
        while (!AtEnd)
        {
            if (Current is ' ' or '\t')
            {
                Position++;
            }
            else if (Current == '\\' && PeekAt(1) == '\n')
            {
                Position += 2;
            }
            else
            {
                break;
            }
        }
    }

    public void SkipBlanksAndNewlines()
    {
        while (true)
        {
            SkipBlanks();
            if (!AtEnd && Current == '\n')
            {
                Position++;
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

    public void SkipComment()
    {
        var end = Text.IndexOf('\n', Position);
        Position = end < 0 ? Text.Length : end;
    }
}
