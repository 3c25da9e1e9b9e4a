using System.Text;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary>The backslash escapes of <c>echo -e</c>, <c>printf</c> and <c>tr</c>.</summary>
internal static class EscapeSequences
{
    public static string Unescape(string text)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\' || i + 1 >= text.Length)
            {
                builder.Append(text[i]);
                continue;
            }

            var c = text[++i];
            builder.Append(c switch
            {
                'n' => "\n",
                't' => "\t",
                'r' => "\r",
                '\\' => "\\",
                '"' => "\"",
                'a' => "\a",
                'e' => "\u001b",
                '0' => "",
                _ => "\\" + c,
            });
        }

        return builder.ToString();
    }
}
