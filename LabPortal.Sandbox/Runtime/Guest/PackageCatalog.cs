namespace LabPortal.Sandbox.Runtime.Guest;

/// <summary>What installing a package puts on the instance: directories, files and a systemd unit.</summary>
internal sealed record PackageDefinition(
    string Name,
    string? Service,
    IReadOnlyList<string> Directories,
    IReadOnlyDictionary<string, string> Files);

/// <summary>
/// The packages the labs use, laid out as Amazon Linux 2023 (yum/dnf) or Ubuntu (apt) installs them.
/// Any other package installs as a name with a unit of the same name, so "yum install -y docker &amp;&amp;
/// systemctl start docker" succeeds (with no network behaviour) instead of failing confusingly.
/// </summary>
internal static class PackageCatalog
{
    public const string NginxConfig = "/etc/nginx/nginx.conf";
    public const string NginxDebianSite = "/etc/nginx/sites-enabled/default";
    public const string HttpdConfig = "/etc/httpd/conf/httpd.conf";
    public const string HttpdWelcome = "/etc/httpd/conf.d/welcome.conf";
    public const string HttpdTestPage = "/usr/share/httpd/noindex/index.html";
    public const string Apache2Site = "/etc/apache2/sites-enabled/000-default.conf";

    /// <summary>The units a fresh image already has; start/stop of them is accepted and has no effect here.</summary>
    public static readonly IReadOnlySet<string> ImageServices = new HashSet<string>(StringComparer.Ordinal)
    {
        "sshd", "amazon-ssm-agent", "crond", "chronyd", "cloud-init", "systemd-journald", "systemd-resolved", "rsyslog",
    };

    /// <summary>Units that serve HTTP on port 80 once started.</summary>
    public static readonly IReadOnlySet<string> WebServices = new HashSet<string>(StringComparer.Ordinal) { "nginx", "httpd", "apache2" };

    public static PackageDefinition Resolve(string requested, bool debianLayout)
    {
        // amazon-linux-extras calls the nginx topic "nginx1"; Amazon Linux 2023 names the package plainly.
        var name = requested switch
        {
            "nginx1" or "nginx-core" or "nginx-full" or "nginx-light" => "nginx",
            _ => requested,
        };

        return (name, debianLayout) switch
        {
            ("nginx", false) => NginxRpm(),
            ("nginx", true) => NginxDeb(),
            ("httpd", _) => Httpd(),
            ("apache2", _) => Apache2(),
            _ => new PackageDefinition(name, name, [], new Dictionary<string, string>()),
        };
    }

    private static PackageDefinition NginxRpm() => new(
        "nginx",
        "nginx",
        ["/etc/nginx", "/etc/nginx/conf.d", "/etc/nginx/default.d", "/usr/share/nginx", "/usr/share/nginx/html", "/var/log/nginx"],
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [NginxConfig] = """
                # Amazon Linux's nginx.conf, shortened: the sandbox's web server reads "root" and "error_page".
                user nginx;
                worker_processes auto;
                http {
                    include /etc/nginx/conf.d/*.conf;
                    server {
                        listen       80;
                        server_name  _;
                        root         /usr/share/nginx/html;
                        error_page 404 /404.html;
                        error_page 500 502 503 504 /50x.html;
                    }
                }

                """,
            ["/usr/share/nginx/html/index.html"] = NginxWelcomePage,
            ["/usr/share/nginx/html/404.html"] = NginxNotFoundPage,
            ["/usr/share/nginx/html/50x.html"] = """
                <!DOCTYPE html>
                <html><head><title>Error</title></head>
                <body><h1>An error occurred.</h1>
                <p>Sorry, the page you are looking for is currently unavailable.</p></body></html>

                """,
        });

    private static PackageDefinition NginxDeb() => new(
        "nginx",
        "nginx",
        ["/etc/nginx", "/etc/nginx/conf.d", "/etc/nginx/sites-available", "/etc/nginx/sites-enabled", "/var/www", "/var/www/html", "/var/log/nginx"],
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [NginxDebianSite] = """
                # Ubuntu's default site, shortened: Debian's nginx serves /var/www/html.
                server {
                    listen 80 default_server;
                    root /var/www/html;
                    index index.html index.htm index.nginx-debian.html;
                    server_name _;
                }

                """,
            ["/var/www/html/index.nginx-debian.html"] = NginxWelcomePage,
        });

    private static PackageDefinition Httpd() => new(
        "httpd",
        "httpd",
        ["/etc/httpd", "/etc/httpd/conf", "/etc/httpd/conf.d", "/var/www", "/var/www/html", "/var/www/cgi-bin", "/usr/share/httpd", "/usr/share/httpd/noindex", "/var/log/httpd"],
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [HttpdConfig] = """
                # Amazon Linux's httpd.conf, shortened: the sandbox's web server reads DocumentRoot.
                Listen 80
                DocumentRoot "/var/www/html"
                DirectoryIndex index.html
                IncludeOptional conf.d/*.conf

                """,
            // welcome.conf maps an empty document root to the test page with status 403, which is why
            // a target group's health check reports "Health checks failed with these codes: [403]".
            [HttpdWelcome] = """
                <LocationMatch "^/+$">
                    Options -Indexes
                    ErrorDocument 403 /.noindex.html
                </LocationMatch>

                """,
            [HttpdTestPage] = """
                <!DOCTYPE html>
                <html><head><title>Test Page for the HTTP Server on Amazon Linux</title></head>
                <body><h1>It works! (Amazon Linux test page)</h1>
                <p>This page is shown because /var/www/html has no index.html yet. Add your content there.</p>
                </body></html>

                """,
        });

    private static PackageDefinition Apache2() => new(
        "apache2",
        "apache2",
        ["/etc/apache2", "/etc/apache2/sites-available", "/etc/apache2/sites-enabled", "/var/www", "/var/www/html", "/var/log/apache2"],
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Apache2Site] = """
                <VirtualHost *:80>
                    DocumentRoot /var/www/html
                </VirtualHost>

                """,
            ["/var/www/html/index.html"] = """
                <!DOCTYPE html>
                <html><head><title>Apache2 Ubuntu Default Page: It works</title></head>
                <body><h1>It works!</h1><p>This is the default welcome page of Apache on Ubuntu.</p></body></html>

                """,
        });

    private const string NginxWelcomePage = """
        <!DOCTYPE html>
        <html>
        <head>
        <title>Welcome to nginx!</title>
        </head>
        <body>
        <h1>Welcome to nginx!</h1>
        <p>If you see this page, nginx is installed and working. Replace this page to publish your own content.</p>
        </body>
        </html>

        """;

    internal const string NginxNotFoundPage = """
        <html>
        <head><title>404 Not Found</title></head>
        <body>
        <center><h1>404 Not Found</h1></center>
        <hr><center>nginx</center>
        </body>
        </html>

        """;
}
