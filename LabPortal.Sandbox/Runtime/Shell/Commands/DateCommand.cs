using System.Globalization;
using System.Text;
using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary><c>date [+FORMAT]</c> from the sandbox clock.</summary>
internal sealed class DateCommand(TimeProvider timeProvider) : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = ["date"];

    public int Run(CommandContext context, List<string> arguments)
        => Date(arguments, context.Io);

    private int Date(List<string> arguments, CommandIo io)
    {
        var now = timeProvider.GetUtcNow();
        var format = arguments.FirstOrDefault(a => a.StartsWith('+'));
        if (format is null)
        {
            return io.Line(now.ToString("ddd MMM d HH:mm:ss 'UTC' yyyy", CultureInfo.InvariantCulture));
        }

        var builder = new StringBuilder();
        for (var i = 1; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                builder.Append(format[i]);
                continue;
            }

            builder.Append(format[++i] switch
            {
                'Y' => now.ToString("yyyy", CultureInfo.InvariantCulture),
                'm' => now.ToString("MM", CultureInfo.InvariantCulture),
                'd' => now.ToString("dd", CultureInfo.InvariantCulture),
                'H' => now.ToString("HH", CultureInfo.InvariantCulture),
                'M' => now.ToString("mm", CultureInfo.InvariantCulture),
                'S' => now.ToString("ss", CultureInfo.InvariantCulture),
                'F' => now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                'T' => now.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
                's' => now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                'Z' => "UTC",
                '%' => "%",
                var other => "%" + other,
            });
        }

        return io.Line(builder.ToString());
    }
}
