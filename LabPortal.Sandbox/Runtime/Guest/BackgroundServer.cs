using System.Globalization;
using System.Text.RegularExpressions;

namespace LabPortal.Sandbox.Runtime.Guest;

/// <summary>
/// A web server started from a script rather than systemd: <c>python3 -m http.server PORT &amp;</c>,
/// serving <paramref name="Directory"/>. It dies with the instance (a reboot does not bring it
/// back) and is persisted among the running services as its command line.
/// </summary>
internal sealed partial record BackgroundServer(int Port, string Directory)
{
    public string CommandLine => string.Create(CultureInfo.InvariantCulture, $"python3 -m http.server {Port} --directory {Directory}");

    public static BackgroundServer? FromCommandLine(string text)
    {
        var match = CommandLinePattern().Match(text);
        return match.Success && int.TryParse(match.Groups[1].Value, CultureInfo.InvariantCulture, out var port)
            ? new BackgroundServer(port, match.Groups[2].Value)
            : null;
    }

    [GeneratedRegex(@"^python3 -m http\.server (\d+) --directory (/.*)$")]
    private static partial Regex CommandLinePattern();
}
