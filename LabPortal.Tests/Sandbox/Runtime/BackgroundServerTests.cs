using System.Net;

namespace LabPortal.Tests.Sandbox.Runtime;

public sealed class BackgroundServerTests
{
    [Fact]
    public async Task Python_http_server_serves_the_directory_on_port_80_when_started_in_background()
    {
        await using var machine = RuntimeTestData.CreateMachine();

        await machine.BootAsync("#!/bin/bash\nmkdir -p /srv/www && cd /srv/www\necho \"<h1>$(hostname -s)</h1>\" > index.html\nnohup python3 -m http.server 80 > /dev/null 2>&1 &\necho started > /tmp/after\n", firstBoot: true);
        using var client = RuntimeTestData.CreateClient();
        using var response = await client.GetAsync(machine.GetHttpEndpoint(80)!);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("<h1>ip-172-31-37-14</h1>\n", await response.Content.ReadAsStringAsync());
        Assert.StartsWith("SimpleHTTP/0.6", response.Headers.Server.ToString(), StringComparison.Ordinal);
        Assert.Equal("started\n", machine.Snapshot().Files["/tmp/after"]);
    }

    [Fact]
    public async Task Python_http_server_lists_the_directory_on_its_default_port()
    {
        await using var machine = RuntimeTestData.CreateMachine();
        await machine.BootAsync(null, firstBoot: true);

        await machine.RunScriptAsync("mkdir -p /srv/files; echo a > /srv/files/a.txt; cd /srv/files; python3 -m http.server &");
        using var client = RuntimeTestData.CreateClient();
        var listing = await client.GetStringAsync(machine.GetHttpEndpoint(8000)!);

        Assert.Contains("<title>Directory listing for /</title>", listing, StringComparison.Ordinal);
        Assert.Contains("<a href=\"a.txt\">a.txt</a>", listing, StringComparison.Ordinal);
        Assert.Null(machine.GetHttpEndpoint(80));
    }

    [Fact]
    public async Task Python_http_server_in_foreground_ends_the_script_there()
    {
        await using var machine = RuntimeTestData.CreateMachine();
        await machine.BootAsync(null, firstBoot: true);

        var result = await machine.RunScriptAsync("python3 -m http.server 8080 --directory /tmp\necho never");

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("never", result.StandardOutput, StringComparison.Ordinal);
        Assert.NotNull(machine.GetHttpEndpoint(8080));
    }

    [Fact]
    public async Task Pkill_closes_the_python_server_and_nginx_then_gets_port_80()
    {
        await using var machine = RuntimeTestData.CreateMachine();
        await machine.BootAsync("#!/bin/bash\nyum install -y nginx\ncd /tmp && python3 -m http.server 80 &\n", firstBoot: true);
        var python = machine.GetHttpEndpoint(80)!;

        var blocked = await machine.RunScriptAsync("systemctl start nginx");
        var killed = await machine.RunScriptAsync("pkill -f http.server && systemctl start nginx");

        Assert.Equal(1, blocked.ExitCode);
        Assert.Contains("Address already in use", blocked.StandardError, StringComparison.Ordinal);
        Assert.Equal(0, killed.ExitCode);
        Assert.True(await RuntimeTestData.IsRefusedAsync(python));
        Assert.Contains("Welcome to nginx!", await RuntimeTestData.GetPageAsync(machine), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Python_http_server_does_not_survive_a_reboot_but_survives_a_restore()
    {
        await using var machine = RuntimeTestData.CreateMachine();
        await machine.BootAsync("#!/bin/bash\npython3 -m http.server 8000 --directory /tmp &\n", firstBoot: true);
        var state = machine.Snapshot();

        await using var restored = RuntimeTestData.CreateMachine(restored: state);
        await restored.BootAsync(null, firstBoot: false);
        await machine.ShutdownAsync();
        await machine.BootAsync(null, firstBoot: false);

        Assert.Contains("python3 -m http.server 8000 --directory /tmp", state.RunningServices);
        Assert.NotNull(restored.GetHttpEndpoint(8000));
        Assert.Null(machine.GetHttpEndpoint(8000));
    }
}
