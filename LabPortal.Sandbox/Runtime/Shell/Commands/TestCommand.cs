using System.Globalization;
using LabPortal.Sandbox.Runtime.Guest;
using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary><c>test</c>, <c>[ ]</c> and <c>[[ ]]</c>: file tests, string and number comparisons.</summary>
internal sealed class TestCommand(GuestOperatingSystem os) : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = ["test", "[", "[["];

    public int Run(CommandContext context, List<string> arguments)
    {
        var io = context.Io;
        return context.Name switch
        {
            "[" => arguments.Count > 0 && arguments[^1] == "]" ? Test(arguments[..^1], io) : io.Fail("bash: [: missing `]'", 2),
            "[[" => arguments.Count > 0 && arguments[^1] == "]]" ? Test(arguments[..^1], io) : io.Fail("bash: syntax error in conditional expression", 2),
            _ => Test(arguments, io),
        };
    }

    private int Test(List<string> arguments, CommandIo io)
    {
        var negate = false;
        var args = arguments;
        if (args.Count > 0 && args[0] == "!")
        {
            negate = true;
            args = args[1..];
        }

        bool? result = args.Count switch
        {
            0 => false,
            1 => args[0].Length > 0,
            2 => args[0] switch
            {
                "-f" => os.Files.FileExists(GuestFileSystem.Combine("/", args[1])),
                "-d" => os.Files.DirectoryExists(GuestFileSystem.Combine("/", args[1])),
                "-e" or "-a" => os.Files.FileExists(GuestFileSystem.Combine("/", args[1])) || os.Files.DirectoryExists(GuestFileSystem.Combine("/", args[1])),
                "-s" => os.Files.ReadFile(GuestFileSystem.Combine("/", args[1])) is { Length: > 0 },
                "-z" => args[1].Length == 0,
                "-n" => args[1].Length > 0,
                "-x" or "-r" or "-w" => os.Files.FileExists(GuestFileSystem.Combine("/", args[1])),
                _ => null,
            },
            3 => args[1] switch
            {
                "=" or "==" => string.Equals(args[0], args[2], StringComparison.Ordinal),
                "!=" => !string.Equals(args[0], args[2], StringComparison.Ordinal),
                "-eq" or "-ne" or "-lt" or "-le" or "-gt" or "-ge" => CompareNumbers(args[0], args[1], args[2]),
                _ => null,
            },
            _ => null,
        };

        if (result is null)
        {
            return io.Ignored("test " + string.Join(' ', arguments)) + 2;
        }

        return result.Value ^ negate ? 0 : 1;
    }

    private static bool? CompareNumbers(string left, string op, string right)
    {
        if (!long.TryParse(left, CultureInfo.InvariantCulture, out var a) || !long.TryParse(right, CultureInfo.InvariantCulture, out var b))
        {
            return null;
        }

        return op switch
        {
            "-eq" => a == b,
            "-ne" => a != b,
            "-lt" => a < b,
            "-le" => a <= b,
            "-gt" => a > b,
            _ => a >= b,
        };
    }
}
