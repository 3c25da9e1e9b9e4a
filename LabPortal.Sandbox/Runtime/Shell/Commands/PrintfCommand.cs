using System.Globalization;
using System.Text;
using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary><c>printf FORMAT [ARGUMENTS]</c>: %s, %d, %b and widths; the format repeats while arguments remain.</summary>
internal sealed class PrintfCommand : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = ["printf"];

    public int Run(CommandContext context, List<string> arguments)
        => Printf(arguments, context.Io);

    private static int Printf(List<string> arguments, CommandIo io)
    {
        if (arguments.Count == 0)
        {
            return io.Fail("printf: usage: printf [-v var] format [arguments]", 2);
        }

        var format = EscapeSequences.Unescape(arguments[0]);
        var values = arguments.Skip(1).ToList();
        var next = 0;
        do
        {
            var builder = new StringBuilder();
            for (var i = 0; i < format.Length; i++)
            {
                if (format[i] != '%' || i + 1 >= format.Length)
                {
                    builder.Append(format[i]);
                    continue;
                }

                // %[-][0][width]directive: the value is padded to the width, left-aligned with "-".
                var j = i + 1;
                var leftAlign = false;
                var zeroPad = false;
                while (j < format.Length && format[j] is '-' or '0' or '+' or ' ' or '#')
                {
                    leftAlign |= format[j] == '-';
                    zeroPad |= format[j] == '0';
                    j++;
                }

                var widthStart = j;
                while (j < format.Length && char.IsAsciiDigit(format[j]))
                {
                    j++;
                }

                var width = j > widthStart ? int.Parse(format.AsSpan(widthStart, j - widthStart), CultureInfo.InvariantCulture) : 0;
                if (j < format.Length && format[j] == '.')
                {
                    j++;
                    while (j < format.Length && char.IsAsciiDigit(format[j]))
                    {
                        j++; // precision: not modelled
                    }
                }

                if (j >= format.Length)
                {
                    builder.Append(format[i..]);
                    break;
                }

                var directive = format[j];
                i = j;
                var value = directive switch
                {
                    '%' => "%",
                    'd' or 'i' => (next < values.Count && long.TryParse(values[next++], CultureInfo.InvariantCulture, out var number) ? number : 0)
                        .ToString(CultureInfo.InvariantCulture),
                    'b' => next < values.Count ? EscapeSequences.Unescape(values[next++]) : "",
                    _ => next < values.Count ? values[next++] : "",
                };
                builder.Append(leftAlign ? value.PadRight(width) : value.PadLeft(width, zeroPad && directive is 'd' or 'i' ? '0' : ' '));
            }

            io.Out.Append(builder);
        }
        while (next > 0 && next < values.Count);

        return 0;
    }
}
