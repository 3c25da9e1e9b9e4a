using System.Globalization;
using System.Text;
using LabPortal.Sandbox.Runtime.Guest;
using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary><c>curl</c>: the instance metadata service and this instance's own web server; the sandbox has no internet, so other URLs are ignored.</summary>
internal sealed class CurlCommand(GuestOperatingSystem os, InstanceWebClient web) : IShellCommand
{
    private static readonly HashSet<char> CurlValueOptions = ['X', 'H', 'o', 'w', 'd', 'm', 'u', 'A', 'e', 'b', 'c', 'T', 'F', 'K', 'x', 'E', 'r', 'Y', 'y', 'z'];

    private static readonly HashSet<string> CurlLongValueOptions = new(StringComparer.Ordinal)
    {
        "--max-time", "--connect-timeout", "--retry", "--retry-delay", "--retry-max-time", "--user", "--user-agent", "--referer",
        "--cookie", "--cookie-jar", "--cacert", "--upload-file", "--form", "--resolve", "--proxy", "--cert", "--range", "--data-urlencode",
    };

    public IReadOnlyList<string> Names { get; } = ["curl"];

    public int Run(CommandContext context, List<string> arguments)
        => Curl(arguments, context.Io, context.Session);

    private int Curl(List<string> arguments, CommandIo io, ShellSession session)
    {
        string? method = null;
        string? output = null;
        string? writeOut = null;
        string? url = null;
        bool silent = false, showError = false, fail = false, head = false, include = false;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        void Apply(char option, string? value)
        {
            switch (option)
            {
                case 'X':
                    method = value;
                    break;
                case 'H':
                    var colon = value?.IndexOf(':', StringComparison.Ordinal) ?? -1;
                    if (colon > 0)
                    {
                        headers[value![..colon].Trim()] = value[(colon + 1)..].Trim();
                    }

                    break;
                case 'o':
                    output = value;
                    break;
                case 'w':
                    writeOut = value;
                    break;
                case 'd':
                    method ??= "POST";
                    break;
                case 's':
                    silent = true;
                    break;
                case 'S':
                    showError = true;
                    break;
                case 'f':
                    fail = true;
                    break;
                case 'I':
                    head = true;
                    break;
                case 'i':
                    include = true;
                    break;
                default:
                    break;
            }
        }

        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            string? Next() => i + 1 < arguments.Count ? arguments[++i] : null;
            switch (argument)
            {
                case "--request":
                    Apply('X', Next());
                    continue;
                case "--header":
                    Apply('H', Next());
                    continue;
                case "--output":
                    Apply('o', Next());
                    continue;
                case "--write-out":
                    Apply('w', Next());
                    continue;
                case "--data" or "--data-raw" or "--data-binary" or "--json":
                    Next();
                    Apply('d', null);
                    continue;
                case "--silent":
                    silent = true;
                    continue;
                case "--show-error":
                    showError = true;
                    continue;
                case "--fail" or "--fail-with-body":
                    fail = true;
                    continue;
                case "--head":
                    head = true;
                    continue;
                case "--include":
                    include = true;
                    continue;
                default:
                    break;
            }

            if (CurlLongValueOptions.Contains(argument))
            {
                Next();
            }
            else if (argument.StartsWith("--", StringComparison.Ordinal))
            {
                continue; // --location, --insecure, --compressed ...
            }
            else if (argument.Length > 1 && argument[0] == '-')
            {
                for (var j = 1; j < argument.Length; j++)
                {
                    var option = argument[j];
                    if (CurlValueOptions.Contains(option))
                    {
                        Apply(option, j + 1 < argument.Length ? argument[(j + 1)..] : Next());
                        break;
                    }

                    Apply(option, null);
                }
            }
            else
            {
                url = argument;
            }
        }

        if (url is null)
        {
            return io.Fail("curl: no URL specified!", 2);
        }

        method ??= head ? "HEAD" : "GET";
        var showErrors = !silent || showError;
        if (web.Fetch(method, url, headers, io) is not { } result)
        {
            return 0; // ignored (the internet)
        }

        var (host, port, _) = InstanceWebClient.SplitUrl(url);
        string WriteOut(int code) => writeOut is null ? "" : EscapeSequences.Unescape(writeOut)
            .Replace("%{http_code}", code.ToString("000", CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("%{response_code}", code.ToString("000", CultureInfo.InvariantCulture), StringComparison.Ordinal);

        if (!result.Connected)
        {
            if (showErrors)
            {
                io.ErrorLine($"curl: (7) Failed to connect to {host} port {port} after 0 ms: Couldn't connect to server");
            }

            io.Out.Append(WriteOut(0));
            return 7;
        }

        if (fail && result.StatusCode >= 400)
        {
            if (showErrors)
            {
                io.ErrorLine($"curl: (22) The requested URL returned error: {result.StatusCode}");
            }

            io.Out.Append(WriteOut(result.StatusCode));
            return 22;
        }

        var text = new StringBuilder();
        if (head || include)
        {
            text.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {result.StatusCode} {InstanceWebClient.Reason(result.StatusCode)}\r\n");
            foreach (var (name, value) in result.Headers)
            {
                text.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
            }

            text.Append("\r\n");
        }

        if (!head)
        {
            text.Append(result.Body);
        }

        if (output is not null && output != "-")
        {
            var path = GuestFileSystem.Combine(session.WorkingDirectory, output);
            if (output != "/dev/null" && os.Files.WriteFile(path, text.ToString(), append: false) is { } error)
            {
                io.ErrorLine($"curl: (23) Failure writing output to destination ({output}: {error})");
                return 23;
            }
        }
        else
        {
            io.Out.Append(text);
        }

        io.Out.Append(WriteOut(result.StatusCode));
        return 0;
    }
}
