using System.Net;
using System.Text.Json;
using LabPortal.Tests.Support;

namespace LabPortal.Tests.ScaleOut;

/// <summary>
/// Two portal nodes behind nginx (<c>deploy/nginx.conf</c>), each on its own SQLite file (on this branch they share
/// nothing but the standalone sandbox, so what is tested is nginx's part): a browser's sticky cookie keeps it on
/// one node; when that node is killed (SIGKILL), nginx's next request with the same cookie is answered by the other
/// node; the killed node comes back on its port. With the sandbox stopped, the nodes' health says so by name.
/// </summary>
[Trait("Category", "ScaleOut")]
public sealed class NginxFailoverTests : IAsyncLifetime
{
    private ScaleOutCluster _cluster = null!;

    public async Task InitializeAsync() =>
        _cluster = await ScaleOutCluster.StartAsync(new ScaleOutOptions { Name = "nginx-failover", Nodes = 2 });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Killed_node_requests_go_to_the_other_node_with_the_same_sticky_cookie()
    {
        try
        {
            // Each node's job server has a name of its own: that is how an answer tells which node gave it.
            var names = new List<string>();
            foreach (var node in _cluster.NodeUrls)
            {
                names.Add(await ScaleOutCluster.ServerNameAsync(node));
            }

            Assert.Equal(2, names.Distinct().Count());

            // The first answer through nginx hands out the sticky cookie; with it, every request goes to the same node.
            using var browser = new HttpClient(new HttpClientHandler { UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = _cluster.NginxUrl };
            var first = await browser.GetAsync(new Uri("/healthz", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Contains(first.Headers.GetValues("Set-Cookie"), c => c.StartsWith("lp_node=", StringComparison.Ordinal));
            var sticky = ScaleOutCluster.ServerName(await first.Content.ReadAsStringAsync());
            for (var i = 0; i < 5; i++)
            {
                Assert.Equal(sticky, ScaleOutCluster.ServerName(await browser.GetStringAsync(new Uri("/healthz", UriKind.Relative))));
            }

            var chosen = names.IndexOf(sticky);
            Assert.InRange(chosen, 0, 1);
            await _cluster.KillNodeAsync(chosen);

            // Same cookie, the node is gone: nginx tries the other one (proxy_next_upstream), no error reaches the browser.
            var after = await browser.GetAsync(new Uri("/healthz", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
            Assert.Equal(names[1 - chosen], ScaleOutCluster.ServerName(await after.Content.ReadAsStringAsync()));
            Assert.Equal(names[1 - chosen], ScaleOutCluster.ServerName(await browser.GetStringAsync(new Uri("/healthz", UriKind.Relative))));

            // The killed node comes back on its own port.
            await _cluster.StartNodeAsync(chosen);
            using (var direct = new HttpClient { BaseAddress = _cluster.NodeUrls[chosen] })
            {
                Assert.Equal(HttpStatusCode.OK, (await direct.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
            }

            // A student who has no sandbox account yet (it is made on first use).
            var other = _cluster.Node(1 - chosen);
            var code = await Students.CreateClassAsync(other.CreatePortalClient(), "DOWN" + Random.Shared.Next(1000, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture));
            using var student = await Students.JoinAsync(other.CreatePortalClient(), code, "Down Learner");

            // The sandbox stops: every node's health names it as the failing part (503), and pages are still served.
            Assert.Equal(0, await _cluster.Sandbox.StopAsync());
            using var plain = new HttpClient { BaseAddress = _cluster.NodeUrls[1 - chosen] };
            var down = await plain.GetAsync(new Uri("/healthz", UriKind.Relative));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            var check = JsonDocument.Parse(await down.Content.ReadAsStringAsync()).RootElement.GetProperty("checks").GetProperty("sandbox-standalone");
            Assert.Equal("Unhealthy", check.GetProperty("status").GetString());
            Assert.Contains("does not answer", check.GetProperty("description").GetString(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, (await plain.GetAsync(new Uri("/join", UriKind.Relative))).StatusCode);

            // The page that makes the student's sandbox account says the cloud is down, in both languages, instead of failing.
            var (cli, document) = await student.GetAsync("/cli-access");
            Assert.Equal(HttpStatusCode.OK, cli.StatusCode);
            Assert.Equal(LabPortal.Infrastructure.Cloud.SandboxUnavailableException.EnglishText, document.QuerySelector("#cli-cloud-down")?.TextContent.Trim());
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException(e.Message + "\nprocesses:\n" + _cluster.Logs(), e);
        }
    }
}
