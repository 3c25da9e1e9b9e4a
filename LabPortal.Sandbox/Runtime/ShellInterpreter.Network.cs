using System.Globalization;
using System.Text;

namespace LabPortal.Sandbox.Runtime;

// curl, wget and ec2-metadata. They reach two places: the instance metadata service, and this
// instance's own web server (localhost). The sandbox has no internet: other URLs are ignored.
internal sealed partial class ShellInterpreter
{
    private static readonly HashSet<char> CurlValueOptions = ['X', 'H', 'o', 'w', 'd', 'm', 'u', 'A', 'e', 'b', 'c', 'T', 'F', 'K', 'x', 'E', 'r', 'Y', 'y', 'z'];

    private static readonly HashSet<string> CurlLongValueOptions = new(StringComparer.Ordinal)
    {
        "--max-time", "--connect-timeout", "--retry", "--retry-delay", "--retry-max-time", "--user", "--user-agent", "--referer",
        "--cookie", "--cookie-jar", "--cacert", "--upload-file", "--form", "--resolve", "--proxy", "--cert", "--range", "--data-urlencode",
    };

    private readonly record struct FetchResult(bool Connected, int StatusCode, IReadOnlyList<(string Name, string Value)> Headers, string Body);

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
            return Fail(io, "curl: no URL specified!", 2);
        }

        method ??= head ? "HEAD" : "GET";
        var showErrors = !silent || showError;
        if (Fetch(method, url, headers, io) is not { } result)
        {
            return 0; // ignored (the internet)
        }

        var (host, port, _) = SplitUrl(url);
        string WriteOut(int code) => writeOut is null ? "" : Unescape(writeOut)
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
            text.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {result.StatusCode} {Reason(result.StatusCode)}\r\n");
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
            return Fail(io, "wget: missing URL", 1);
        }

        if (Fetch("GET", url, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase), io) is not { } result)
        {
            return 0;
        }

        if (!result.Connected)
        {
            return Fail(io, $"Connecting to {SplitUrl(url).Host}... failed: Connection refused.", 4);
        }

        if (result.StatusCode >= 400)
        {
            return Fail(io, $"ERROR {result.StatusCode}: {Reason(result.StatusCode)}.", 8);
        }

        if (output == "-")
        {
            io.Out.Append(result.Body);
            return 0;
        }

        var name = output ?? (GuestFileSystem.NameOf(SplitUrl(url).Path) is { Length: > 0 } file ? file : "index.html");
        var error = os.Files.WriteFile(GuestFileSystem.Combine(session.WorkingDirectory, name), result.Body, append: false);
        return error is null ? 0 : Fail(io, $"{name}: {error}", 3);
    }

    private int Ec2Metadata(List<string> arguments, CommandIo io)
    {
        var m = _metadata;
        var fields = new (string Short, string Long, string Label, string? Value)[]
        {
            ("-a", "--ami-id", "ami-id", m.ImageId),
            ("-i", "--instance-id", "instance-id", m.InstanceId),
            ("-t", "--instance-type", "instance-type", m.InstanceType),
            ("-h", "--local-hostname", "local-hostname", m.LocalHostname),
            ("-o", "--local-ipv4", "local-ipv4", m.LocalIpv4),
            ("-z", "--availability-zone", "placement", m.AvailabilityZone),
            ("-p", "--public-hostname", "public-hostname", m.PublicHostname),
            ("-v", "--public-ipv4", "public-ipv4", m.PublicIpv4),
            ("-R", "--region", "region", m.Region),
        };
        var quiet = arguments.Contains("--quiet");
        var selected = fields.Where(f => arguments.Contains(f.Short) || arguments.Contains(f.Long)).ToList();
        if (selected.Count == 0)
        {
            selected = [.. fields];
        }

        foreach (var (_, _, label, value) in selected)
        {
            io.WriteLine(quiet ? value ?? "not available" : $"{label}: {value ?? "not available"}");
        }

        return 0;
    }

    private static (string Host, int Port, string Path) SplitUrl(string url)
    {
        var rest = url;
        var scheme = "http";
        var schemeEnd = rest.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd >= 0)
        {
            scheme = rest[..schemeEnd].ToLowerInvariant();
            rest = rest[(schemeEnd + 3)..];
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = slash < 0 ? rest : rest[..slash];
        var path = slash < 0 ? "/" : rest[slash..];
        var port = scheme == "https" ? 443 : 80;
        var colon = authority.LastIndexOf(':');
        if (colon > 0 && !authority.EndsWith(']') && int.TryParse(authority[(colon + 1)..], CultureInfo.InvariantCulture, out var explicitPort))
        {
            port = explicitPort;
            authority = authority[..colon];
        }

        return (authority.ToLowerInvariant(), port, path);
    }

    /// <summary>The response for a URL the instance can reach, or null (reported as ignored) for the internet.</summary>
    private FetchResult? Fetch(string method, string url, Dictionary<string, string> headers, CommandIo io)
    {
        var (host, port, path) = SplitUrl(url);
        if (host is "169.254.169.254" or "[fd00:ec2::254]" or "instance-data" or "instance-data.ec2.internal")
        {
            var response = metadataService.Handle(method, path, headers);
            return new FetchResult(true, response.StatusCode, [("Content-Type", "text/plain"), ("Server", "EC2ws")], method == "HEAD" ? "" : response.Body);
        }

        var self = host is "localhost" or "127.0.0.1" or "0.0.0.0" or "[::1]"
            || host == _metadata.LocalIpv4 || string.Equals(host, _metadata.LocalHostname, StringComparison.OrdinalIgnoreCase)
            || host == _metadata.LocalHostname.Split('.')[0];
        if (!self)
        {
            Ignored(io, $"curl {url} (the sandbox has no internet access)");
            return null;
        }

        WebResponse page;
        if (os.BackgroundServers.FirstOrDefault(b => b.Port == port) is { } background)
        {
            page = StaticSite.RespondDirectory(os, background.Directory, method, path);
        }
        else if (port == 80 && os.RunningWebServer is { } service)
        {
            page = StaticSite.Respond(os, service, method, path);
        }
        else
        {
            return new FetchResult(false, 0, [], "");
        }

        var responseHeaders = new List<(string, string)>
        {
            ("Server", page.Server),
            ("Date", timeProvider.GetUtcNow().ToString("r", CultureInfo.InvariantCulture)),
            ("Content-Type", page.ContentType),
            ("Content-Length", Encoding.UTF8.GetByteCount(page.Body).ToString(CultureInfo.InvariantCulture)),
        };
        if (page.Location is not null)
        {
            responseHeaders.Add(("Location", page.Location));
        }

        return new FetchResult(true, page.StatusCode, responseHeaders, method == "HEAD" ? "" : page.Body);
    }

    private static string Reason(int statusCode) => statusCode switch
    {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "",
    };
}
