using LabPortal.Sandbox.Runtime;

namespace LabPortal.Tests.Sandbox.Runtime;

public sealed class CloudConfigTests
{
    [Fact]
    public void Parse_reads_packages_runcmd_write_files_and_update_flags()
    {
        var config = CloudConfig.Parse(RuntimeTestData.Read("cloud-config-userdata.yaml"));

        Assert.True(config.PackageUpdate);
        Assert.Equal(["httpd", "mariadb-server"], config.Packages);
        Assert.Equal("'sh' '-c' 'amazon-linux-extras install -y lamp-mariadb10.2-php7.2 php7.2'", config.RunCommands[0]);
        Assert.Equal("systemctl start httpd", config.RunCommands[1]);
        Assert.Equal("'sh' '-c' 'echo \"<?php phpinfo(); ?>\" > /var/www/html/phpinfo.php'", config.RunCommands[5]);
        Assert.Equal(new CloudConfigFile("/var/www/html/index.html", "<h1>from cloud-config</h1>\n<p>second line</p>\n", false), config.WriteFiles[0]);
        Assert.Equal(new CloudConfigFile("/etc/motd", "hello", false), config.WriteFiles[1]);
        Assert.Equal(["timezone"], config.IgnoredKeys);
    }

    [Fact]
    public void Parse_reads_flow_lists_and_folded_scalars()
    {
        var config = CloudConfig.Parse("#cloud-config\npackages: [nginx, 'git']\nwrite_files:\n- path: /tmp/a\n  content: >\n    one\n    two\n  append: true\n");

        Assert.Equal(["nginx", "git"], config.Packages);
        Assert.Equal(new CloudConfigFile("/tmp/a", "one two\n", true), Assert.Single(config.WriteFiles));
    }

    [Theory]
    [InlineData("#cloud-config\n")]
    [InlineData("#cloud-config\npackages:\n  -\nruncmd: [\nwrite_files:\n  - content: no path\n")]
    [InlineData("#cloud-config\n: :\n- - -\n\t\t|\n")]
    public void Parse_never_throws_when_document_is_odd(string text)
    {
        var config = CloudConfig.Parse(text);

        Assert.Empty(config.WriteFiles);
    }

    [Fact]
    public async Task Boot_applies_cloud_config_and_serves_the_written_page()
    {
        await using var machine = RuntimeTestData.CreateMachine();

        await machine.BootAsync(RuntimeTestData.Read("cloud-config-userdata.yaml"), firstBoot: true);

        Assert.Equal("<h1>from cloud-config</h1>\n<p>second line</p>\nid i-0abc1234def567890\n", await RuntimeTestData.GetPageAsync(machine));
        Assert.Contains("[sandbox] ignored (not supported in the sandbox): cloud-config key 'timezone'", machine.ConsoleOutput, StringComparison.Ordinal);
        Assert.Contains("httpd", machine.Snapshot().EnabledServices);
    }
}
