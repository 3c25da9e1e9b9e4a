using LabPortal.Sandbox.Runtime.Guest;
using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Tests.Sandbox.Runtime;

public sealed class ShellInterpreterTests
{
    private readonly ShellHarness _shell = new();

    [Fact]
    public void Echo_writes_file_when_output_is_redirected()
    {
        var run = _shell.Run("echo \"Hello World\" > /tmp/index.html");

        Assert.Equal(0, run.Status);
        Assert.Equal("Hello World\n", _shell.File("/tmp/index.html"));
    }

    [Fact]
    public void Echo_appends_when_redirected_with_double_angle()
    {
        _shell.Run("echo one > /tmp/f\necho two >> /tmp/f\necho three>>/tmp/f");

        Assert.Equal("one\ntwo\nthree\n", _shell.File("/tmp/f"));
    }

    [Fact]
    public void Echo_interprets_escapes_when_given_dash_e()
    {
        _shell.Run("echo -e 'a\\nb' > /tmp/f; echo -n x >> /tmp/f");

        Assert.Equal("a\nb\nx", _shell.File("/tmp/f"));
    }

    [Fact]
    public void Redirection_fails_like_bash_when_directory_does_not_exist()
    {
        var run = _shell.Run("echo hi > /var/www/html/index.html");

        Assert.Equal(1, run.Status);
        Assert.Contains("bash: /var/www/html/index.html: No such file or directory", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Heredoc_expands_variables_and_metadata_when_delimiter_is_unquoted()
    {
        _shell.Run("NAME=web\ncat > /tmp/p <<EOF\n$NAME ${NAME}-1 $(curl -s http://169.254.169.254/latest/meta-data/instance-id) \\$HOME\nEOF\n");

        Assert.Equal("web web-1 i-0abc1234def567890 $HOME\n", _shell.File("/tmp/p"));
    }

    [Fact]
    public void Heredoc_keeps_text_literal_when_delimiter_is_quoted()
    {
        _shell.Run("cat > /tmp/p <<'EOF'\n$NAME $(hostname)\nEOF\n");

        Assert.Equal("$NAME $(hostname)\n", _shell.File("/tmp/p"));
    }

    [Fact]
    public void Tee_writes_every_file_and_passes_input_on_when_piped()
    {
        var run = _shell.Run("echo page | sudo tee /tmp/a /tmp/b\necho more | tee -a /tmp/a > /dev/null");

        Assert.Equal("page\n", run.Out);
        Assert.Equal("page\nmore\n", _shell.File("/tmp/a"));
        Assert.Equal("page\n", _shell.File("/tmp/b"));
    }

    [Fact]
    public void Mkdir_creates_parents_when_given_dash_p()
    {
        var run = _shell.Run("mkdir -p /var/www/html/app && echo ok > /var/www/html/app/index.html");

        Assert.Equal(0, run.Status);
        Assert.Equal("ok\n", _shell.File("/var/www/html/app/index.html"));
    }

    [Fact]
    public void Mkdir_fails_when_parent_is_missing_without_dash_p()
    {
        var run = _shell.Run("mkdir /srv/a/b");

        Assert.Equal(1, run.Status);
        Assert.Contains("mkdir: cannot create directory '/srv/a/b': No such file or directory", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Rm_removes_globbed_files_and_ignores_missing_ones_when_forced()
    {
        _shell.Run("mkdir -p /srv/site; echo a > /srv/site/a.html; echo b > /srv/site/b.html; echo c > /srv/site/c.txt");

        var run = _shell.Run("rm -f /srv/site/*.html /srv/site/missing");

        Assert.Equal(0, run.Status);
        Assert.Null(_shell.File("/srv/site/a.html"));
        Assert.Null(_shell.File("/srv/site/b.html"));
        Assert.Equal("c\n", _shell.File("/srv/site/c.txt"));
    }

    [Fact]
    public void Rm_fails_when_file_is_missing_without_force()
    {
        var run = _shell.Run("rm /tmp/nothing");

        Assert.Equal(1, run.Status);
        Assert.Contains("rm: cannot remove '/tmp/nothing': No such file or directory", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Cp_copies_a_file_into_a_directory_when_destination_is_one()
    {
        _shell.Run("echo page > /tmp/index.html; mkdir -p /srv/www");

        var run = _shell.Run("cp /tmp/index.html /srv/www/ && mv /srv/www/index.html /srv/www/home.html");

        Assert.Equal(0, run.Status);
        Assert.Equal("page\n", _shell.File("/srv/www/home.html"));
        Assert.Null(_shell.File("/srv/www/index.html"));
    }

    [Fact]
    public void Cd_makes_relative_paths_resolve_from_the_new_directory()
    {
        _shell.Run("mkdir -p /srv/app; cd /srv/app; echo x > rel.txt; cd ..; echo y > ./other.txt");

        Assert.Equal("x\n", _shell.File("/srv/app/rel.txt"));
        Assert.Equal("y\n", _shell.File("/srv/other.txt"));
    }

    [Fact]
    public void Variables_expand_in_all_forms_when_assigned_earlier()
    {
        var run = _shell.Run("A=one\nexport B=two\necho \"$A ${B} ${C:-three} $HOME\"");

        Assert.Equal("one two three /root\n", run.Out);
    }

    [Fact]
    public void Unquoted_expansion_splits_into_words_when_value_has_spaces()
    {
        _shell.Run("PKGS=\"nginx git\"\nyum install -y $PKGS");

        Assert.True(_shell.Os.IsInstalled("nginx"));
        Assert.True(_shell.Os.IsInstalled("git"));
    }

    [Fact]
    public void Command_substitution_reads_instance_metadata_with_imdsv1()
    {
        var run = _shell.Run("""
            echo "$(curl -s http://169.254.169.254/latest/meta-data/instance-id)"
            echo "$(curl -s http://169.254.169.254/latest/meta-data/placement/availability-zone)"
            echo `curl -s http://169.254.169.254/latest/meta-data/local-ipv4`
            echo $(curl -s http://169.254.169.254/latest/meta-data/public-ipv4)
            echo $(curl -s 169.254.169.254/latest/meta-data/hostname) $(curl -s http://169.254.169.254/latest/meta-data/local-hostname)
            echo $(curl -s http://169.254.169.254/latest/meta-data/public-hostname)
            """);

        var m = _shell.Metadata;
        Assert.Equal(
            $"{m.InstanceId}\n{m.AvailabilityZone}\n{m.LocalIpv4}\n{m.PublicIpv4}\n{m.LocalHostname} {m.LocalHostname}\n{m.PublicHostname}\n",
            run.Out);
    }

    [Fact]
    public void Command_substitution_reads_instance_metadata_with_imdsv2_token()
    {
        var run = _shell.Run("""
            TOKEN=$(curl -X PUT "http://169.254.169.254/latest/api/token" -H "X-aws-ec2-metadata-token-ttl-seconds: 21600")
            curl -H "X-aws-ec2-metadata-token: $TOKEN" http://169.254.169.254/latest/meta-data/instance-id
            """);

        Assert.Equal(0, run.Status);
        Assert.Equal(_shell.Metadata.InstanceId, run.Out);
    }

    [Fact]
    public void Curl_gets_401_when_imdsv2_token_is_wrong()
    {
        var run = _shell.Run("curl -s -f -H 'X-aws-ec2-metadata-token: forged' http://169.254.169.254/latest/meta-data/instance-id");

        Assert.Equal(22, run.Status);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public void Curl_prints_imds_404_page_when_instance_has_no_public_ipv4()
    {
        var shell = new ShellHarness(RuntimeTestData.PrivateOnlyMetadata);

        var run = shell.Run("echo \"ip: $(curl -s http://169.254.169.254/latest/meta-data/public-ipv4)\"");

        Assert.Contains("<title>404 - Not Found</title>", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Hostname_prints_the_instance_names_for_each_option()
    {
        var run = _shell.Run("hostname; hostname -f; hostname -s; hostname -I; echo $(hostname -i)");

        var m = _shell.Metadata;
        Assert.Equal($"{m.LocalHostname}\n{m.LocalHostname}\nip-172-31-37-14\n{m.LocalIpv4} \n{m.LocalIpv4}\n", run.Out);
    }

    [Fact]
    public void Ec2_metadata_prints_labelled_values_when_given_options()
    {
        var run = _shell.Run("ec2-metadata -i; ec2-metadata --availability-zone");

        Assert.Equal($"instance-id: {_shell.Metadata.InstanceId}\nplacement: {_shell.Metadata.AvailabilityZone}\n", run.Out);
    }

    [Theory]
    [InlineData("yum install -y nginx")]
    [InlineData("sudo yum -y install nginx")]
    [InlineData("dnf install -y nginx")]
    [InlineData("amazon-linux-extras install nginx1 -y")]
    [InlineData("sudo amazon-linux-extras install -y nginx1")]
    public void Package_install_creates_nginx_default_page_when_confirmed(string command)
    {
        var run = _shell.Run(command);

        Assert.Equal(0, run.Status);
        Assert.True(_shell.Os.IsInstalled("nginx"));
        Assert.Contains("Welcome to nginx!", _shell.File("/usr/share/nginx/html/index.html"), StringComparison.Ordinal);
    }

    [Fact]
    public void Yum_install_aborts_when_no_one_can_confirm()
    {
        var run = _shell.Run("yum install nginx");

        Assert.Equal(1, run.Status);
        Assert.False(_shell.Os.IsInstalled("nginx"));
        Assert.Contains("Is this ok [y/N]: Operation aborted.", run.Out, StringComparison.Ordinal);
        Assert.Contains("add -y", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Yum_update_is_accepted_and_logged_when_run_with_or_without_yes()
    {
        var run = _shell.Run("yum update -y\nyum update");

        Assert.Equal(0, run.Status);
        Assert.Contains("Nothing to do.", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Apt_get_install_uses_debian_layout_and_starts_the_service()
    {
        var run = _shell.Run("apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y nginx");

        Assert.Equal(0, run.Status);
        Assert.True(_shell.Os.IsRunning("nginx"));
        Assert.True(_shell.Os.IsEnabled("nginx"));
        Assert.Equal("/var/www/html", StaticSite.DocumentRoot(_shell.Os, "nginx"));
    }

    [Fact]
    public void Httpd_install_creates_an_empty_document_root()
    {
        _shell.Run("yum install -y httpd");

        Assert.True(_shell.Os.Files.DirectoryExists("/var/www/html"));
        Assert.Empty(_shell.Os.Files.List("/var/www/html")!);
    }

    [Fact]
    public void Systemctl_start_fails_with_exit_5_when_unit_is_not_installed()
    {
        var run = _shell.Run("systemctl start nginx");

        Assert.Equal(5, run.Status);
        Assert.Contains("Failed to start nginx.service: Unit nginx.service not found.", run.Error, StringComparison.Ordinal);
        Assert.False(_shell.Os.IsRunning("nginx"));
    }

    [Theory]
    [InlineData("systemctl start nginx")]
    [InlineData("sudo systemctl start nginx.service")]
    [InlineData("service nginx start")]
    [InlineData("systemctl restart nginx")]
    [InlineData("systemctl enable --now nginx")]
    [InlineData("/usr/bin/systemctl start nginx")]
    public void Service_runs_when_started_in_any_form(string command)
    {
        _shell.Run("yum install -y nginx");

        var run = _shell.Run(command);

        Assert.Equal(0, run.Status);
        Assert.True(_shell.Os.IsRunning("nginx"));
    }

    [Fact]
    public void Systemctl_enable_alone_does_not_start_the_service()
    {
        var run = _shell.Run("yum install -y httpd; systemctl enable httpd");

        Assert.Equal(0, run.Status);
        Assert.Contains("Created symlink /etc/systemd/system/multi-user.target.wants/httpd.service", run.Error, StringComparison.Ordinal);
        Assert.True(_shell.Os.IsEnabled("httpd"));
        Assert.False(_shell.Os.IsRunning("httpd"));
    }

    [Fact]
    public void Chkconfig_on_enables_the_service()
    {
        var run = _shell.Run("yum install -y httpd && chkconfig httpd on");

        Assert.Equal(0, run.Status);
        Assert.True(_shell.Os.IsEnabled("httpd"));
    }

    [Fact]
    public void Systemctl_stop_and_disable_undo_start_and_enable()
    {
        _shell.Run("yum install -y nginx; systemctl enable --now nginx");

        var run = _shell.Run("systemctl stop nginx; service nginx stop; systemctl disable nginx");

        Assert.Equal(0, run.Status);
        Assert.False(_shell.Os.IsRunning("nginx"));
        Assert.False(_shell.Os.IsEnabled("nginx"));
    }

    [Fact]
    public void Systemctl_status_reports_running_and_dead_with_systemd_exit_codes()
    {
        _shell.Run("yum install -y nginx");

        var inactive = _shell.Run("systemctl status nginx");
        _shell.Run("systemctl start nginx");
        var active = _shell.Run("systemctl is-active nginx");
        var unknown = _shell.Run("systemctl status httpd");

        Assert.Equal(3, inactive.Status);
        Assert.Contains("Active: inactive (dead)", inactive.Out, StringComparison.Ordinal);
        Assert.Equal((0, "active\n"), (active.Status, active.Out));
        Assert.Equal(4, unknown.Status);
    }

    [Fact]
    public void Second_web_server_fails_to_start_when_port_80_is_taken()
    {
        var run = _shell.Run("yum install -y nginx httpd; systemctl start nginx; systemctl start httpd");

        Assert.Equal(1, run.Status);
        Assert.Contains("Address already in use", run.Error, StringComparison.Ordinal);
        Assert.Equal("nginx", _shell.Os.RunningWebServer);
    }

    [Fact]
    public void Set_e_stops_at_the_first_failing_command_and_returns_its_code()
    {
        var run = _shell.Run("set -e\necho one\nsystemctl start nginx\necho never");

        Assert.Equal(5, run.Status);
        Assert.Equal("one\n", run.Out);
    }

    [Fact]
    public void Set_e_ignores_a_failure_tested_by_or()
    {
        var run = _shell.Run("set -e\nsystemctl start nginx || echo fallback\nfalse && echo no\necho reached");

        Assert.Equal(0, run.Status);
        Assert.Equal("fallback\nreached\n", run.Out);
    }

    [Fact]
    public void Script_status_is_the_last_command_status_without_set_e()
    {
        Assert.Equal(0, _shell.Run("systemctl start nginx\necho still running").Status);
        Assert.Equal(1, _shell.Run("echo first\nfalse").Status);
    }

    [Fact]
    public void Exit_ends_the_script_with_its_code()
    {
        var run = _shell.Run("echo a; exit 3; echo b");

        Assert.Equal((3, "a\n"), (run.Status, run.Out));
    }

    [Fact]
    public void Set_x_traces_expanded_commands_on_standard_error()
    {
        var run = _shell.Run("set -x\nX=1\necho $X");

        Assert.Contains("+ echo 1", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_commands_are_reported_as_ignored_and_succeed()
    {
        var run = _shell.Run("set -e\npip3 install flask\nvim index.html\necho after");

        Assert.Equal(0, run.Status);
        Assert.Contains("[sandbox] ignored (not supported in the sandbox): pip3 install flask", run.Error, StringComparison.Ordinal);
        Assert.Contains("[sandbox] ignored (not supported in the sandbox): vim index.html", run.Error, StringComparison.Ordinal);
        Assert.Equal("after\n", run.Out);
    }

    [Fact]
    public void Functions_run_with_arguments_and_share_variables()
    {
        var run = _shell.Run("""
            write_page() {
              local title="$1"
              shift
              echo "<h1>$title</h1><p>$# more: $@</p>" > "/tmp/$title.html"
              LAST=$title
            }
            function check
            {
              [ -f "/tmp/$1.html" ] || return 3
              echo "found $1"
            }
            write_page home a b
            check home
            check missing
            echo "status $? last $LAST"
            check home > /tmp/redirected
            """);

        Assert.Equal("<h1>home</h1><p>2 more: a b</p>\n", _shell.File("/tmp/home.html"));
        Assert.Equal("found home\nstatus 3 last home\n", run.Out);
        Assert.Equal("found home\n", _shell.File("/tmp/redirected"));
    }

    [Fact]
    public void Function_under_set_e_ignores_failures_only_when_called_as_a_condition()
    {
        // bash ignores set -e inside a function called from an if condition (checked against bash 5).
        var run = _shell.Run("set -e\nfails() { false; echo never; }\nif fails; then echo no; else echo tested; fi\nfails\necho unreachable");

        Assert.Equal((1, "never\nno\n"), (run.Status, run.Out));
    }

    [Fact]
    public void Function_recursion_is_bounded()
    {
        var run = _shell.Run("loop() { loop; }\nloop\necho after");

        Assert.Contains("maximum function nesting level exceeded", run.Error, StringComparison.Ordinal);
        Assert.Equal("after\n", run.Out);
    }

    [Fact]
    public void Case_runs_the_first_item_whose_pattern_matches()
    {
        var run = _shell.Run("""
            AZ=$(curl -s http://169.254.169.254/latest/meta-data/placement/availability-zone)
            case "$AZ" in
              *a) echo "zone a" ;;
              *c|*d) echo "zone c or d" ;;
              *) echo other ;;
            esac
            case 'x*' in 'x*') echo literal;; esac
            case nothing in a) echo no;; esac
            echo "status $?"
            """);

        Assert.Equal("zone c or d\nliteral\nstatus 0\n", run.Out);
    }

    [Fact]
    public void If_runs_the_first_branch_whose_condition_succeeds()
    {
        var run = _shell.Run("""
            if [ -f /nope ]; then echo one; elif [ -d /tmp ]; then echo two; else echo three; fi
            if false; then echo no; else echo else-branch; fi
            if ! systemctl is-active --quiet nginx; then echo inactive; fi
            """);

        Assert.Equal("two\nelse-branch\ninactive\n", run.Out);
    }

    [Fact]
    public void If_condition_failure_does_not_trigger_set_e()
    {
        var run = _shell.Run("set -e\nif systemctl start nginx; then echo started; fi\n! false\necho reached");

        Assert.Equal((0, "reached\n"), (run.Status, run.Out));
    }

    [Fact]
    public void For_loops_over_expanded_words_with_break_and_continue()
    {
        var run = _shell.Run("""
            PAGES="a b c d"
            for p in $PAGES last; do
              if [ "$p" = "b" ]; then continue; fi
              if [ "$p" = "d" ]; then break; fi
              echo "<p>$p</p>" >> /tmp/list.html
            done
            echo "after $p"
            """);

        Assert.Equal("<p>a</p>\n<p>c</p>\n", _shell.File("/tmp/list.html"));
        Assert.Equal("after d\n", run.Out);
    }

    [Fact]
    public void While_loop_ends_when_its_condition_is_met()
    {
        var run = _shell.Run("""
            yum install -y -q nginx && systemctl start nginx
            until curl -sf http://localhost/ > /dev/null; do sleep 1; done
            while [ ! -f /tmp/ready ]; do touch /tmp/ready; echo waited; done
            """);

        Assert.Equal((0, "waited\n"), (run.Status, run.Out));
    }

    [Fact]
    public void While_loop_is_stopped_by_the_budget_when_it_never_ends()
    {
        var run = _shell.Run("while true; do sleep 1; done\necho unreachable");

        Assert.Equal(1, run.Status);
        Assert.Contains("script stopped", run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public void Syntax_error_stops_the_script_with_status_2()
    {
        var run = _shell.Run("echo before\nfor x in 1 2; do\n  echo $x\n");

        Assert.Equal((2, "before\n"), (run.Status, run.Out));
        Assert.Contains("syntax error: unexpected end of file", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Sudo_su_is_a_no_op_when_the_script_already_runs_as_root()
    {
        var run = _shell.Run("sudo su\nsudo -i\nwhoami");

        Assert.Equal(0, run.Status);
        Assert.Equal("root\n", run.Out);
    }

    [Fact]
    public void Accepted_commands_succeed_silently()
    {
        var run = _shell.Run("chmod 644 /tmp; chown -R nginx:nginx /tmp; sleep 5; ln -s /a /b");

        Assert.Equal((0, ""), (run.Status, run.Error));
    }

    [Fact]
    public void Transcript_shows_each_command_before_its_output()
    {
        var run = _shell.Run("echo one && echo two");

        Assert.Equal("[sandbox] $ echo one\none\n[sandbox] $ echo two\ntwo\n", run.Transcript);
    }

    [Fact]
    public void Curl_localhost_returns_the_page_when_web_server_runs_and_code_7_when_not()
    {
        _shell.Run("yum install -y nginx && echo mine > /usr/share/nginx/html/index.html");

        var refused = _shell.Run("curl -sS localhost");
        _shell.Run("systemctl start nginx");
        var served = _shell.Run("curl -s http://localhost/");
        var code = _shell.Run("curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1/missing");

        Assert.Equal(7, refused.Status);
        Assert.Contains("Failed to connect to localhost port 80", refused.Error, StringComparison.Ordinal);
        Assert.Equal("mine\n", served.Out);
        Assert.Equal("404", code.Out);
    }

    [Fact]
    public void Test_brackets_guard_commands_with_and_or()
    {
        var run = _shell.Run("[ -f /tmp/none ] || echo missing > /tmp/flag\n[ -d /tmp ] && echo dir\n[ \"a\" = \"b\" ] || echo differ");

        Assert.Equal("missing\n", _shell.File("/tmp/flag"));
        Assert.Equal("dir\ndiffer\n", run.Out);
    }

    [Fact]
    public void Bash_c_and_script_files_run_their_commands()
    {
        var run = _shell.Run("bash -c 'echo inner'\nprintf '#!/bin/bash\\necho from-file\\n' > /tmp/s.sh\nchmod +x /tmp/s.sh\n/tmp/s.sh\nsh /tmp/s.sh");

        Assert.Equal("inner\nfrom-file\nfrom-file\n", run.Out);
    }

    [Fact]
    public void Cat_prints_files_and_fails_for_missing_ones()
    {
        _shell.Run("echo content > /tmp/c");

        var run = _shell.Run("cat /tmp/c /tmp/missing");

        Assert.Equal(1, run.Status);
        Assert.Equal("content\n", run.Out);
        Assert.Contains("cat: /tmp/missing: No such file or directory", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("echo \"unterminated")]
    [InlineData("$(((")]
    [InlineData("cat <<EOF\nno end")]
    [InlineData("rm -rf /")]
    [InlineData("cd /nowhere && echo no")]
    [InlineData("curl")]
    [InlineData("systemctl")]
    [InlineData("yum")]
    [InlineData("[ -f")]
    [InlineData("printf '%d %s %' x")]
    [InlineData("exit abc")]
    [InlineData("bash -c 'bash -c \"bash -c exit\"'")]
    [InlineData("source /tmp/self.sh")]
    public void Run_never_throws_when_script_is_odd(string script)
    {
        var run = _shell.Run(script);

        Assert.InRange(run.Status, 0, 255);
    }

    [Fact]
    public void Run_stops_recursion_when_a_script_sources_itself()
    {
        _shell.Run("echo 'source /tmp/loop.sh' > /tmp/loop.sh");

        var run = _shell.Run("source /tmp/loop.sh");

        Assert.Contains("maximum nesting level exceeded", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Expansion_is_capped_when_a_variable_doubles_itself()
    {
        var script = "A=xxxxxxxxxxxxxxxx\n" + string.Concat(Enumerable.Repeat("A=$A$A\n", 40)) + "echo \"$A\" > /tmp/big\necho ${#A}";

        var run = _shell.Run(script);

        Assert.Contains("bash: echo: write error: File too large", run.Error, StringComparison.Ordinal);
        Assert.Equal("1048576\n", run.Out);
        Assert.InRange(_shell.File("/tmp/big")!.Length, 0, GuestFileSystem.MaxFileLength);
    }

    [Fact]
    public void Run_stops_when_sourced_files_fan_out_beyond_the_command_budget()
    {
        _shell.Run("echo 'source /tmp/fan.sh; source /tmp/fan.sh; source /tmp/fan.sh' > /tmp/fan.sh");

        var run = _shell.Run("source /tmp/fan.sh\necho after");

        Assert.Equal(1, run.Status);
        Assert.Contains($"more than {CommandBudget.Limit} commands", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("after", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Sed_substitutes_in_place_with_groups_and_instance_values()
    {
        _shell.Run("yum install -y nginx");

        var run = _shell.Run("sed -i \"s/Welcome to \\(nginx\\)!/Hello from $(hostname -s) via \\1/g\" /usr/share/nginx/html/index.html");

        Assert.Equal(0, run.Status);
        Assert.Contains("<h1>Hello from ip-172-31-37-14 via nginx</h1>", _shell.File("/usr/share/nginx/html/index.html"), StringComparison.Ordinal);
    }

    [Fact]
    public void Sed_changes_the_document_root_that_nginx_serves()
    {
        _shell.Run("yum install -y nginx; mkdir -p /srv/site; echo moved > /srv/site/index.html");

        _shell.Run("sed -i 's|root         /usr/share/nginx/html;|root /srv/site;|' /etc/nginx/nginx.conf");

        Assert.Equal("moved\n", StaticSite.Respond(_shell.Os, "nginx", "GET", "/").Body);
    }

    [Fact]
    public void Sed_filters_standard_input_when_no_file_is_given()
    {
        var run = _shell.Run("echo 'a-b-c' | sed -e 's/-/+/' | sed -E 's/(a)\\+/\\1=/'");

        Assert.Equal("a=b-c\n", run.Out);
    }

    [Fact]
    public void Text_filters_pick_metadata_fields_out_of_pipelines()
    {
        var run = _shell.Run("""
            ID=$(ec2-metadata -i | cut -d " " -f 2)
            AZ=$(ec2-metadata -z | awk '{print $2}')
            echo "$ID $AZ"
            ec2-metadata | grep -c placement
            ec2-metadata | grep -q nothing-like-this || echo absent
            echo "$(hostname)" | tr -d '\n' | tr 'a-z' 'A-Z'; echo
            printf 'a\nb\nc\n' | head -n 2 | tail -1
            printf 'a\nb\n' | wc -l
            """);

        Assert.Equal($"{_shell.Metadata.InstanceId} {_shell.Metadata.AvailabilityZone}\n1\nabsent\nIP-172-31-37-14.AP-NORTHEAST-2.COMPUTE.INTERNAL\nb\n2\n", run.Out);
    }

    [Fact]
    public void Package_managers_print_nothing_but_errors_when_quiet()
    {
        var run = _shell.Run("yum -q install -y httpd\napt-get -qq -o Dpkg::Options::=--force-confold install -y apache2\nyum install -q nginx");

        Assert.Equal("", run.Out);
        Assert.Contains("add -y", run.Error, StringComparison.Ordinal);
        Assert.True(_shell.Os.IsInstalled("httpd") && _shell.Os.IsInstalled("apache2"));
    }

    [Fact]
    public void Constructs_match_bash_output_for_groups_defaults_and_positional_parameters()
    {
        // Expected text produced by bash 5 from the same script.
        var run = _shell.Run("""
            echo ${U:-"quoted default"} ${U-} "${U:-a b}"
            { echo grouped; echo twice; }
            set -- p "q r"; echo "$# $2"
            v=$(printf '%s' "a  b"); echo "[$v]" [$v]
            for x in "" a; do echo "<$x>"; done
            """);

        Assert.Equal("quoted default a b\ngrouped\ntwice\n2 q r\n[a  b] [a b]\n<>\n<a>\n", run.Out);
    }

    [Fact]
    public void Printf_pads_to_widths_and_reuses_the_format_like_bash()
    {
        // Expected text produced by bash 5 from the same script.
        var run = _shell.Run("printf \"[%5s][%-4s][%03d][%s %s]\\n\" ab c 7 x y z\nprintf '%s\\n' a b\nprintf '100%%\\n'");

        Assert.Equal("[   ab][c   ][007][x y]\n[    z][    ][000][ ]\na\nb\n100%\n", run.Out);
    }
}
