using LabPortal.Sandbox.Runtime.Guest;

namespace LabPortal.Tests.Sandbox.Runtime;

public sealed class StaticSiteTests
{
    private readonly ShellHarness _shell = new();

    [Fact]
    public void Respond_serves_index_for_root_and_files_by_path()
    {
        _shell.Run("yum install -y nginx; echo home > /usr/share/nginx/html/index.html; echo ok > /usr/share/nginx/html/health");

        var root = StaticSite.Respond(_shell.Os, "nginx", "GET", "/");
        var health = StaticSite.Respond(_shell.Os, "nginx", "GET", "/health?probe=1");

        Assert.Equal((200, "home\n", "text/html"), (root.StatusCode, root.Body, root.ContentType));
        Assert.Equal((200, "ok\n", "application/octet-stream"), (health.StatusCode, health.Body, health.ContentType));
    }

    [Fact]
    public void Respond_serves_amazon_linux_404_page_when_nginx_file_is_missing()
    {
        _shell.Run("yum install -y nginx");

        var response = StaticSite.Respond(_shell.Os, "nginx", "GET", "/missing");

        Assert.Equal(404, response.StatusCode);
        Assert.Contains("404 Not Found", response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Respond_redirects_when_directory_lacks_trailing_slash()
    {
        _shell.Run("yum install -y nginx; mkdir -p /usr/share/nginx/html/app; echo app > /usr/share/nginx/html/app/index.html");

        var redirect = StaticSite.Respond(_shell.Os, "nginx", "GET", "/app");
        var page = StaticSite.Respond(_shell.Os, "nginx", "GET", "/app/");

        Assert.Equal((301, "/app/"), (redirect.StatusCode, redirect.Location));
        Assert.Equal("app\n", page.Body);
    }

    [Fact]
    public void Respond_refuses_paths_that_escape_the_document_root()
    {
        _shell.Run("yum install -y nginx; echo secret > /root/secret");

        var response = StaticSite.Respond(_shell.Os, "nginx", "GET", "/../../../../root/secret");

        Assert.Equal(400, response.StatusCode);
    }

    [Fact]
    public void Respond_answers_405_when_method_is_not_get_or_head()
    {
        _shell.Run("yum install -y nginx");

        Assert.Equal(405, StaticSite.Respond(_shell.Os, "nginx", "POST", "/").StatusCode);
    }

    [Fact]
    public void Respond_serves_apache_pages_with_charset_when_httpd_has_an_index()
    {
        _shell.Run("yum install -y httpd; echo '<h1>hi</h1>' > /var/www/html/index.html");

        var response = StaticSite.Respond(_shell.Os, "httpd", "GET", "/");

        Assert.Equal((200, "Apache", "text/html; charset=UTF-8"), (response.StatusCode, response.Server, response.ContentType));
    }

    [Fact]
    public void Respond_serves_debian_default_page_when_nginx_came_from_apt()
    {
        _shell.Run("apt-get install -y nginx");

        var response = StaticSite.Respond(_shell.Os, "nginx", "GET", "/");

        Assert.Contains("Welcome to nginx!", response.Body, StringComparison.Ordinal);
    }
}
