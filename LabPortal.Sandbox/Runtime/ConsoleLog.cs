using System.Text;

namespace LabPortal.Sandbox.Runtime;

/// <summary>
/// The serial console buffer. EC2's GetConsoleOutput returns the most recent 64 KB, so older
/// text falls off the front (cut at a line boundary so the first line is whole).
/// </summary>
internal sealed class ConsoleLog(string initial)
{
    public const int Capacity = 64 * 1024;

    private readonly Lock _lock = new();
    private readonly StringBuilder _text = new(Trim(initial));

    public string Text
    {
        get
        {
            lock (_lock)
            {
                return _text.ToString();
            }
        }
    }

    public void Append(string text)
    {
        if (text.Length == 0)
        {
            return;
        }

        lock (_lock)
        {
            _text.Append(text);
            if (text[^1] != '\n')
            {
                _text.Append('\n');
            }

            if (_text.Length > Capacity)
            {
                var trimmed = Trim(_text.ToString());
                _text.Clear().Append(trimmed);
            }
        }
    }

    private static string Trim(string text)
    {
        if (text.Length <= Capacity)
        {
            return text;
        }

        var start = text.Length - Capacity;
        var newline = text.IndexOf('\n', start);
        return newline >= 0 && newline < text.Length - 1 ? text[(newline + 1)..] : text[start..];
    }
}
