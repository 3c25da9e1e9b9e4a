using System.Globalization;
using System.Text;
using LabPortal.Sandbox.Runtime.Guest;
using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary>
/// What an HTTP client on the instance can reach: the instance metadata service, and this
/// instance's own web server (localhost). The sandbox has no internet: other URLs are ignored.
/// </summary>
internal sealed class InstanceWebClient(GuestOperatingSystem os, InstanceMetadataService metadataService, TimeProvider timeProvider)
{
    private readonly InstanceMetadata _metadata = metadataService.Metadata;

    public static (string Host, int Port, string Path) SplitUrl(string url)
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
    public FetchResult? Fetch(string method, string url, Dictionary<string, string> headers, CommandIo io)
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
            io.Ignored($"curl {url} (the sandbox has no internet access)");
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

    public static string Reason(int statusCode) => statusCode switch
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
