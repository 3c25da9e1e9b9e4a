using LabPortal.Sandbox.Runtime.Guest;
using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary><c>wget [-O FILE] URL</c>, reaching what curl reaches.</summary>
internal sealed class WgetCommand(GuestOperatingSystem os, InstanceWebClient web) : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = ["wget"];

    public int Run(CommandContext context, List<string> arguments)
        => Wget(arguments, context.Io, context.Session);

    private int Wget(List<string> arguments, CommandIo io, ShellSession session)
    {
        string? output = null;
        string? url = null;
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            if (argument is "-O" or "--output-document")
            {
                output = i + 1 < arguments.Count ? arguments[++i] : null;
            }
            else if (argument.StartsWith('-') && argument.Contains('O', StringComparison.Ordinal) && !argument.StartsWith("--", StringComparison.Ordinal))
            {
                var rest = argument[(argument.IndexOf('O', StringComparison.Ordinal) + 1)..];
                output = rest.Length > 0 ? rest : i + 1 < arguments.Count ? arguments[++i] : null;
            }
            else if (argument is "-T" or "-t" or "--header" or "--timeout" or "--tries")
            {
                i++;
            }
            else if (!argument.StartsWith('-'))
            {
                url = argument;
            }
        }

        if (url is null)
        {
            return io.Fail("wget: missing URL", 1);
        }

        if (web.Fetch("GET", url, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase), io) is not { } result)
        {
            return 0;
        }

        if (!result.Connected)
        {
            return io.Fail($"Connecting to {InstanceWebClient.SplitUrl(url).Host}... failed: Connection refused.", 4);
        }

        if (result.StatusCode >= 400)
        {
            return io.Fail($"ERROR {result.StatusCode}: {InstanceWebClient.Reason(result.StatusCode)}.", 8);
        }

        if (output == "-")
        {
            io.Out.Append(result.Body);
            return 0;
        }

        var name = output ?? (GuestFileSystem.NameOf(InstanceWebClient.SplitUrl(url).Path) is { Length: > 0 } file ? file : "index.html");
        var error = os.Files.WriteFile(GuestFileSystem.Combine(session.WorkingDirectory, name), result.Body, append: false);
        return error is null ? 0 : io.Fail($"{name}: {error}", 3);
    }
}
