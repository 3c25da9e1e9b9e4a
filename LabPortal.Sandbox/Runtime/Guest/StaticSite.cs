using System.Text.RegularExpressions;

namespace LabPortal.Sandbox.Runtime.Guest;

/// <summary>
/// Answers HTTP requests from the document root of nginx or Apache as their stock configuration
/// does: index files, 301 for a directory without its slash, the distribution's error pages.
/// Pure: it reads the guest file system, so the shell's <c>curl localhost</c> uses it too.
/// </summary>
internal static partial class StaticSite
{
    public const string NginxServer = "nginx";
    public const string ApacheServer = "Apache";

    public static string ServerHeader(string service) => service == "nginx" ? NginxServer : ApacheServer;

    public static WebResponse Respond(GuestOperatingSystem os, string service, string method, string target)
    {
        var nginx = service == "nginx";
        var server = ServerHeader(service);
        if (method is not ("GET" or "HEAD"))
        {
            return Error(server, 405, "Not Allowed", nginx);
        }

        var path = target;
        var cut = path.IndexOfAny(['?', '#']);
        if (cut >= 0)
        {
            path = path[..cut];
        }

        try
        {
            path = Uri.UnescapeDataString(path);
        }
        catch (UriFormatException)
        {
            return Error(server, 400, "Bad Request", nginx);
        }

        if (!path.StartsWith('/'))
        {
            return Error(server, 400, "Bad Request", nginx);
        }

        var root = DocumentRoot(os, service);
        var full = GuestFileSystem.Combine("/", root + "/" + path);
        if (full != root && !full.StartsWith(root + "/", StringComparison.Ordinal))
        {
            return Error(server, 400, "Bad Request", nginx);
        }

        var files = os.Files;
        if (files.DirectoryExists(full))
        {
            if (!path.EndsWith('/'))
            {
                return Error(server, 301, "Moved Permanently", nginx) with { Location = path + "/" };
            }

            foreach (var index in IndexNames(os, service))
            {
                if (files.ReadFile(full + (full == "/" ? "" : "/") + index) is { } page)
                {
                    return new WebResponse(200, server, ContentTypeOf(index, nginx), page);
                }
            }

            // Amazon Linux's welcome.conf answers an empty document root with the test page and 403.
            if (!nginx && full == root && files.FileExists(PackageCatalog.HttpdWelcome)
                && files.ReadFile(PackageCatalog.HttpdTestPage) is { } testPage)
            {
                return new WebResponse(403, server, ContentTypeOf("index.html", nginx), testPage);
            }

            return Error(server, 403, "Forbidden", nginx);
        }

        if (files.ReadFile(full) is { } content)
        {
            return new WebResponse(200, server, ContentTypeOf(full, nginx), content);
        }

        // Amazon Linux's nginx.conf has "error_page 404 /404.html" and ships that page.
        if (nginx && files.ReadFile(PackageCatalog.NginxConfig) is { } config && config.Contains("error_page 404 /404.html", StringComparison.Ordinal)
            && files.ReadFile(root + "/404.html") is { } notFoundPage)
        {
            return new WebResponse(404, server, "text/html", notFoundPage);
        }

        return Error(server, 404, "Not Found", nginx);
    }

    /// <summary>Python's http.server: index.html, else a directory listing; its own error page and Server header.</summary>
    public static WebResponse RespondDirectory(GuestOperatingSystem os, string root, string method, string target)
    {
        const string Server = "SimpleHTTP/0.6 Python/3.9.16";
        static WebResponse PythonError(int status, string message, string explanation) => new(
            status,
            Server,
            "text/html;charset=utf-8",
            $"<!DOCTYPE HTML>\n<html lang=\"en\">\n    <head>\n        <meta charset=\"utf-8\">\n        <title>Error response</title>\n    </head>\n" +
            $"    <body>\n        <h1>Error response</h1>\n        <p>Error code: {status}</p>\n        <p>Message: {message}.</p>\n" +
            $"        <p>Error code explanation: {status} - {explanation}.</p>\n    </body>\n</html>\n");

        if (method is not ("GET" or "HEAD"))
        {
            return PythonError(501, $"Unsupported method ('{method}')", "Server does not support this operation");
        }

        var path = target.Split('?', '#')[0];
        try
        {
            path = Uri.UnescapeDataString(path);
        }
        catch (UriFormatException)
        {
            return PythonError(400, "Bad request", "Bad request syntax or unsupported method");
        }

        // http.server drops ".." segments instead of refusing them, so it never leaves its directory.
        var relative = GuestFileSystem.Combine("/", path);
        var full = GuestFileSystem.Combine("/", root + relative);
        var files = os.Files;
        if (files.DirectoryExists(full))
        {
            if (!path.EndsWith('/'))
            {
                return new WebResponse(301, Server, "text/html;charset=utf-8", "", path + "/");
            }

            foreach (var index in new[] { "index.html", "index.htm" })
            {
                if (files.ReadFile(full.TrimEnd('/') + "/" + index) is { } page)
                {
                    return new WebResponse(200, Server, "text/html", page);
                }
            }

            var title = System.Net.WebUtility.HtmlEncode(path);
            var items = string.Concat((files.List(full) ?? []).Select(name =>
            {
                var display = files.DirectoryExists(full.TrimEnd('/') + "/" + name) ? name + "/" : name;
                return $"<li><a href=\"{Uri.EscapeDataString(display).Replace("%2F", "/", StringComparison.Ordinal)}\">{System.Net.WebUtility.HtmlEncode(display)}</a></li>\n";
            }));
            return new WebResponse(200, Server, "text/html; charset=utf-8",
                $"<!DOCTYPE HTML>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Directory listing for {title}</title>\n</head>\n" +
                $"<body>\n<h1>Directory listing for {title}</h1>\n<hr>\n<ul>\n{items}</ul>\n<hr>\n</body>\n</html>\n");
        }

        return files.ReadFile(full) is { } content
            ? new WebResponse(200, Server, ContentTypeOf(full, nginx: true), content)
            : PythonError(404, "File not found", "Nothing matches the given URI");
    }

    public static string DocumentRoot(GuestOperatingSystem os, string service)
    {
        var files = os.Files;
        string? Match(string configPath, Regex pattern) =>
            files.ReadFile(configPath) is { } config && pattern.Match(config) is { Success: true } m
                ? GuestFileSystem.Combine("/", m.Groups[1].Value)
                : null;

        return service switch
        {
            "nginx" => Match(PackageCatalog.NginxDebianSite, NginxRoot()) ?? Match(PackageCatalog.NginxConfig, NginxRoot()) ?? "/usr/share/nginx/html",
            "httpd" => Match(PackageCatalog.HttpdConfig, ApacheRoot()) ?? "/var/www/html",
            _ => Match(PackageCatalog.Apache2Site, ApacheRoot()) ?? "/var/www/html",
        };
    }

    private static IEnumerable<string> IndexNames(GuestOperatingSystem os, string service) =>
        service == "nginx" && os.Files.FileExists(PackageCatalog.NginxDebianSite)
            ? ["index.html", "index.htm", "index.nginx-debian.html"]
            : service == "nginx" ? ["index.html", "index.htm"] : ["index.html"];

    private static string ContentTypeOf(string path, bool nginx)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        var type = extension switch
        {
            ".html" or ".htm" => "text/html",
            ".txt" => "text/plain",
            ".css" => "text/css",
            ".js" => "application/javascript",
            ".json" => "application/json",
            ".xml" => "text/xml",
            ".svg" => "image/svg+xml",
            ".png" => "image/png",
            ".jpg" or ".jpeg" => "image/jpeg",
            ".gif" => "image/gif",
            ".ico" => "image/x-icon",
            _ => "application/octet-stream",
        };

        // Amazon Linux's httpd.conf sets "AddDefaultCharset UTF-8" for text types; nginx sends none.
        return !nginx && type.StartsWith("text/", StringComparison.Ordinal) ? type + "; charset=UTF-8" : type;
    }

    private static WebResponse Error(string server, int status, string reason, bool nginx)
    {
        var body = nginx
            ? $"<html>\n<head><title>{status} {reason}</title></head>\n<body>\n<center><h1>{status} {reason}</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n"
            : $"<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>{status} {reason}</title>\n</head><body>\n<h1>{reason}</h1>\n<p>{ApacheDetail(status)}</p>\n</body></html>\n";
        return new WebResponse(status, server, nginx ? "text/html" : "text/html; charset=iso-8859-1", body);
    }

    private static string ApacheDetail(int status) => status switch
    {
        404 => "The requested URL was not found on this server.",
        403 => "You don't have permission to access this resource.",
        301 => "The document has moved.",
        405 => "The requested method is not allowed for this URL.",
        _ => "Your browser sent a request that this server could not understand.",
    };

    [GeneratedRegex(@"^\s*root\s+([^;\s]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex NginxRoot();

    [GeneratedRegex(@"^\s*DocumentRoot\s+""?([^""\s]+)""?", RegexOptions.Multiline)]
    private static partial Regex ApacheRoot();
}
