using System.Net;
using LabPortal.Sandbox.Runtime;
using LabPortal.Sandbox.Runtime.Guest;

namespace LabPortal.Tests.Sandbox.Runtime;

public sealed class SandboxMachineTests
{
    private const string NginxUserData = "#!/bin/bash\nyum install -y nginx\nsystemctl start nginx\nsystemctl enable nginx\necho '<h1>lab page</h1>' > /usr/share/nginx/html/index.html\n";

    [Theory]
    [InlineData("seed000-server1-userdata.sh", "gosim web page 01", "iPad, apple, iPhone")]
    [InlineData("seed000-server2-userdata.sh", "gosim web page 02", "Galaxy, Galaxy Tab, Samsung, Korea")]
    public async Task Boot_serves_seed_000_page_over_http_when_user_data_is_the_blog_script(string file, string title, string text)
    {
        await using var machine = RuntimeTestData.CreateMachine();

        await machine.BootAsync(RuntimeTestData.Read(file), firstBoot: true);
        var page = await RuntimeTestData.GetPageAsync(machine);

        Assert.Contains($"<title>{title}</title>", page, StringComparison.Ordinal);
        Assert.Contains(text, page, StringComparison.Ordinal);
        Assert.StartsWith("<!DOCTYPE html>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Boot_serves_seed_004_page_with_instance_values_when_user_data_uses_imdsv2()
    {
        await using var machine = RuntimeTestData.CreateMachine();

        await machine.BootAsync(RuntimeTestData.Read("seed004-launch-template-userdata.sh"), firstBoot: true);
        var page = await RuntimeTestData.GetPageAsync(machine);

        Assert.Equal("<h1>Hello from i-0abc1234def567890 in ap-northeast-2c</h1>\n", page);
    }

    [Fact]
    public async Task Boot_substitutes_imdsv1_metadata_and_hostname_into_the_page()
    {
        await using var machine = RuntimeTestData.CreateMachine();

        await machine.BootAsync(RuntimeTestData.Read("imdsv1-nginx-userdata.sh"), firstBoot: true);
        var page = await RuntimeTestData.GetPageAsync(machine);

        var m = RuntimeTestData.Metadata;
        Assert.Equal($"<h1>{m.InstanceId} / {m.AvailabilityZone} / {m.LocalIpv4} / {m.LocalHostname}</h1>\n", page);
    }

    [Fact]
    public async Task Boot_accepts_base64_user_data_when_caller_did_not_decode_it()
    {
        await using var machine = RuntimeTestData.CreateMachine();

        await machine.BootAsync(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(NginxUserData)), firstBoot: true);

        Assert.Equal("<h1>lab page</h1>\n", await RuntimeTestData.GetPageAsync(machine));
    }

    [Fact]
    public async Task Http_server_answers_like_nginx_for_headers_head_and_missing_pages()
    {
        await using var machine = RuntimeTestData.CreateMachine();
        await machine.BootAsync(NginxUserData, firstBoot: true);
        var endpoint = machine.GetHttpEndpoint(80)!;
        using var client = RuntimeTestData.CreateClient();

        using var get = await client.GetAsync(endpoint);
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, endpoint));
        using var missing = await client.GetAsync(new Uri(endpoint, "/nope.html"));

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal("nginx", get.Headers.Server.ToString());
        Assert.Equal("text/html", get.Content.Headers.ContentType!.MediaType);
        Assert.Equal(18, get.Content.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(18, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("404 Not Found", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_server_answers_403_with_test_page_when_httpd_has_no_index()
    {
        await using var machine = RuntimeTestData.CreateMachine();
        await machine.BootAsync("#!/bin/bash\nyum install -y httpd\nsystemctl start httpd\n", firstBoot: true);
        using var client = RuntimeTestData.CreateClient();

        using var response = await client.GetAsync(machine.GetHttpEndpoint(80)!);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Apache", response.Headers.Server.ToString());
        Assert.Contains("Test Page", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ssm_stop_refuses_connections_and_start_serves_again()
    {
        await using var machine = RuntimeTestData.CreateMachine();
        await machine.BootAsync(RuntimeTestData.Read("seed004-launch-template-userdata.sh"), firstBoot: true);
        var before = machine.GetHttpEndpoint(80)!;

        var stop = await machine.RunScriptAsync(RuntimeTestData.Read("seed004-kill-webserver.sh"));

        Assert.Equal(0, stop.ExitCode);
        Assert.Null(machine.GetHttpEndpoint(80));
        Assert.True(await RuntimeTestData.IsRefusedAsync(before));

        var start = await machine.RunScriptAsync("sudo systemctl start httpd");

        Assert.Equal(0, start.ExitCode);
        Assert.Contains("Hello from i-0abc1234def567890", await RuntimeTestData.GetPageAsync(machine), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ssm_script_returns_output_and_exit_code()
    {
        await using var machine = RuntimeTestData.CreateMachine();
        await machine.BootAsync(null, firstBoot: true);

        var result = await machine.RunScriptAsync("echo hello\nsystemctl start nginx");

        Assert.Equal(new ScriptResult(5, "hello\n", "Failed to start nginx.service: Unit nginx.service not found.\n"), result);
    }

    [Fact]
    public async Task Ssm_runs_the_blog_console_commands_and_shows_why_nginx_is_missing()
    {
        await using var machine = RuntimeTestData.CreateMachine();
        await machine.BootAsync(null, firstBoot: true);

        var result = await machine.RunScriptAsync(RuntimeTestData.Read("seed000-console-commands.sh"));

        Assert.Equal(0, result.ExitCode); // the last command, vim, is ignored; there is no "set -e"
        Assert.Contains("bash: cd: /usr/share/nginx/html/: No such file or directory", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("Is this ok [y/N]: Operation aborted.", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Unit nginx.service not found.", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("[sandbox] ignored (not supported in the sandbox): vim index.html", result.StandardError, StringComparison.Ordinal);
        Assert.Null(machine.GetHttpEndpoint(80));
    }

    [Fact]
    public async Task Ssm_script_fails_without_running_when_machine_is_not_booted()
    {
        await using var machine = RuntimeTestData.CreateMachine();

        var result = await machine.RunScriptAsync("yum install -y nginx");

        Assert.Equal(1, result.ExitCode);
        Assert.Empty(machine.Snapshot().InstalledPackages);
    }

    [Fact]
    public async Task Reboot_starts_the_web_server_again_when_it_was_enabled()
    {
        await using var machine = RuntimeTestData.CreateMachine();
        await machine.BootAsync(NginxUserData, firstBoot: true);
        var before = machine.GetHttpEndpoint(80)!;

        await machine.ShutdownAsync();

        Assert.Null(machine.GetHttpEndpoint(80));
        Assert.True(await RuntimeTestData.IsRefusedAsync(before));

        await machine.BootAsync(NginxUserData, firstBoot: false);

        Assert.Equal("<h1>lab page</h1>\n", await RuntimeTestData.GetPageAsync(machine));
    }

    [Fact]
    public async Task Reboot_leaves_the_web_server_stopped_when_it_was_not_enabled()
    {
        await using var machine = RuntimeTestData.CreateMachine();
        await machine.BootAsync("#!/bin/bash\nyum install -y nginx\nsystemctl start nginx\n", firstBoot: true);
        Assert.NotNull(machine.GetHttpEndpoint(80));

        await machine.ShutdownAsync();
        await machine.BootAsync("#!/bin/bash\nyum install -y nginx\nsystemctl start nginx\n", firstBoot: false);

        Assert.Null(machine.GetHttpEndpoint(80));
        Assert.Contains("nginx", machine.Snapshot().InstalledPackages);
    }

    [Fact]
    public async Task First_boot_does_not_start_a_service_that_user_data_only_enabled()
    {
        await using var machine = RuntimeTestData.CreateMachine();

        await machine.BootAsync("#!/bin/bash\nyum install -y nginx\nsystemctl enable nginx\n", firstBoot: true);

        // As on EC2: enable only creates the symlink; the unit starts on the next boot.
        Assert.Null(machine.GetHttpEndpoint(80));
        await machine.ShutdownAsync();
        await machine.BootAsync(null, firstBoot: false);
        Assert.NotNull(machine.GetHttpEndpoint(80));
    }

    [Fact]
    public async Task Boot_runs_user_data_only_on_the_first_boot()
    {
        await using var machine = RuntimeTestData.CreateMachine();
        await machine.BootAsync("#!/bin/bash\necho boot >> /tmp/boots\n", firstBoot: true);
        await machine.ShutdownAsync();

        await machine.BootAsync("#!/bin/bash\necho boot >> /tmp/boots\n", firstBoot: false);

        Assert.Equal("boot\n", machine.Snapshot().Files["/tmp/boots"]);
    }

    [Fact]
    public async Task Console_output_shows_cloud_init_commands_and_ignored_ones()
    {
        await using var machine = RuntimeTestData.CreateMachine();

        await machine.BootAsync("#!/bin/bash\nyum install -y nginx\npip3 install flask\nsystemctl start nginx\n", firstBoot: true);

        var console = machine.ConsoleOutput;
        Assert.Contains("Cloud-init v. 22.2.2 running 'modules:final'", console, StringComparison.Ordinal);
        Assert.Contains("[sandbox] $ yum install -y nginx", console, StringComparison.Ordinal);
        Assert.Contains("Complete!", console, StringComparison.Ordinal);
        Assert.Contains("[sandbox] ignored (not supported in the sandbox): pip3 install flask", console, StringComparison.Ordinal);
        Assert.Contains("Cloud-init v. 22.2.2 finished", console, StringComparison.Ordinal);
        Assert.True(console.IndexOf("pip3", StringComparison.Ordinal) < console.IndexOf("finished", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Console_output_reports_failed_user_data_like_cloud_init()
    {
        await using var machine = RuntimeTestData.CreateMachine();

        await machine.BootAsync("#!/bin/bash\nset -e\nsystemctl start httpd\n", firstBoot: true);

        Assert.Contains("Failed running /var/lib/cloud/instance/scripts/part-001 [5]", machine.ConsoleOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Console_output_explains_when_user_data_lacks_a_shebang()
    {
        await using var machine = RuntimeTestData.CreateMachine();

        await machine.BootAsync("yum install -y nginx\nsystemctl start nginx\n", firstBoot: true);

        Assert.Contains("Unhandled non-multipart (text/x-not-multipart) userdata", machine.ConsoleOutput, StringComparison.Ordinal);
        Assert.Null(machine.GetHttpEndpoint(80));
    }

    [Theory]
    [InlineData("#!/bin/bash\n\0\0\0 $(( ))) ${ \"' `")]
    [InlineData("\u0000\u0001binary\u00ff")]
    [InlineData("#cloud-config\npackages:\n  - nginx\n")]
    [InlineData("#!/usr/bin/python3\nprint('hi')\n")]
    [InlineData("")]
    public async Task Boot_never_throws_when_user_data_is_odd(string userData)
    {
        await using var machine = RuntimeTestData.CreateMachine();

        await machine.BootAsync(userData, firstBoot: true);

        Assert.Contains("finished", machine.ConsoleOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Snapshot_restore_serves_the_same_page_and_keeps_state()
    {
        MachineState state;
        await using (var original = RuntimeTestData.CreateMachine())
        {
            await original.BootAsync(RuntimeTestData.Read("seed000-server1-userdata.sh"), firstBoot: true);
            state = original.Snapshot();
        }

        await using var restored = RuntimeTestData.CreateMachine(restored: state);
        await restored.BootAsync(null, firstBoot: false);

        Assert.Contains("gosim web page 01", await RuntimeTestData.GetPageAsync(restored), StringComparison.Ordinal);
        var again = restored.Snapshot();
        Assert.Equal(state.Files, again.Files);
        Assert.Equal(state.InstalledPackages, again.InstalledPackages);
        Assert.Equal(state.EnabledServices, again.EnabledServices);
        Assert.Equal(["nginx"], again.RunningServices);
        Assert.StartsWith(state.ConsoleOutput, again.ConsoleOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Snapshot_restore_resumes_a_running_service_that_was_not_enabled()
    {
        MachineState state;
        await using (var original = RuntimeTestData.CreateMachine())
        {
            await original.BootAsync("#!/bin/bash\nyum install -y nginx\nsystemctl start nginx\n", firstBoot: true);
            state = original.Snapshot();
        }

        await using var restored = RuntimeTestData.CreateMachine(restored: state);
        await restored.BootAsync(null, firstBoot: false);

        Assert.Contains("Welcome to nginx!", await RuntimeTestData.GetPageAsync(restored), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispose_closes_the_listener()
    {
        var machine = RuntimeTestData.CreateMachine();
        await machine.BootAsync(NginxUserData, firstBoot: true);
        var endpoint = machine.GetHttpEndpoint(80)!;
        Assert.False(await RuntimeTestData.IsRefusedAsync(endpoint));

        await machine.DisposeAsync();

        Assert.True(await RuntimeTestData.IsRefusedAsync(endpoint));
        Assert.Null(machine.GetHttpEndpoint(80));
        await machine.DisposeAsync(); // twice is harmless
    }

    [Fact]
    public async Task Get_http_endpoint_is_null_for_ports_other_than_80()
    {
        await using var machine = RuntimeTestData.CreateMachine();
        await machine.BootAsync(NginxUserData, firstBoot: true);

        Assert.Null(machine.GetHttpEndpoint(8080));
        Assert.Equal("127.0.0.1", machine.GetHttpEndpoint(80)!.Host);
    }

    [Fact]
    public async Task Restore_with_new_metadata_serves_the_old_page_and_reports_the_new_public_ip()
    {
        MachineState state;
        await using (var stopped = RuntimeTestData.CreateMachine())
        {
            await stopped.BootAsync(NginxUserData, firstBoot: true);
            await stopped.ShutdownAsync();
            state = stopped.Snapshot();
        }

        // EC2 gives a stopped instance a new public IPv4 when it starts again.
        await using var started = RuntimeTestData.CreateMachine(RuntimeTestData.Metadata with { PublicIpv4 = "13.125.9.9" }, state);
        await started.BootAsync(NginxUserData, firstBoot: false);
        var ip = await started.RunScriptAsync("curl -s http://169.254.169.254/latest/meta-data/public-ipv4");

        Assert.Equal("<h1>lab page</h1>\n", await RuntimeTestData.GetPageAsync(started));
        Assert.Equal("13.125.9.9", ip.StandardOutput);
    }
}
