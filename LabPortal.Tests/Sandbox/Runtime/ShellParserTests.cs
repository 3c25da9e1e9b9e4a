using LabPortal.Sandbox.Runtime.Shell.Syntax;

namespace LabPortal.Tests.Sandbox.Runtime;

public sealed class ShellParserTests
{
    private static List<AndOrList> Lists(string script) =>
        ShellScript.Parse(script).Statements.OfType<AndOrList>().ToList();

    private static List<string?> LiteralWords(SimpleCommand command) => command.Words.Select(w => w.LiteralText).ToList();

    [Fact]
    public void Parse_skips_shebang_comments_and_blank_lines_when_script_has_them()
    {
        var lists = Lists("#!/bin/bash\n\n# install\n   \nyum install -y nginx # trailing comment\n");

        var command = Assert.Single(Assert.Single(lists).First.Commands);
        Assert.Equal(["yum", "install", "-y", "nginx"], LiteralWords(command));
    }

    [Fact]
    public void Parse_joins_lines_when_they_end_with_a_backslash()
    {
        var command = Lists("yum install -y \\\n  nginx \\\n  git\n")[0].First.Commands[0];

        Assert.Equal(["yum", "install", "-y", "nginx", "git"], LiteralWords(command));
        Assert.Equal("yum install -y nginx git", command.Source);
    }

    [Fact]
    public void Parse_builds_and_or_lists_when_commands_are_chained()
    {
        var lists = Lists("yum install -y nginx && systemctl start nginx || echo failed; echo done");

        Assert.Equal(2, lists.Count);
        Assert.Equal([ListOperator.And, ListOperator.Or], lists[0].Rest.Select(r => r.Operator));
        Assert.Equal(["echo", "done"], LiteralWords(lists[1].First.Commands[0]));
    }

    [Fact]
    public void Parse_marks_background_when_list_ends_with_ampersand()
    {
        var lists = Lists("nohup python3 -m http.server 80 &\necho next");

        Assert.True(lists[0].Background);
        Assert.False(lists[1].Background);
    }

    [Fact]
    public void Parse_reads_quoted_heredoc_body_without_expansion_when_delimiter_is_quoted()
    {
        var command = Lists("cat > /tmp/x <<'EOF'\nhello $USER\nEOF\necho after\n")[0].First.Commands[0];

        var heredoc = Assert.Single(command.Redirections, r => r.Kind == RedirectionKind.HereDocument).HereDocument!;
        Assert.False(heredoc.Expand);
        Assert.Equal("hello $USER\n", heredoc.Body);
    }

    [Fact]
    public void Parse_reads_heredoc_for_expansion_when_delimiter_is_unquoted()
    {
        var lists = Lists("cat <<EOF > /tmp/x\nid=$ID\nEOF\necho after\n");

        var heredoc = lists[0].First.Commands[0].Redirections.Single(r => r.Kind == RedirectionKind.HereDocument).HereDocument!;
        Assert.True(heredoc.Expand);
        Assert.Equal("id=$ID\n", heredoc.Body);
        Assert.Equal(["echo", "after"], LiteralWords(lists[1].First.Commands[0]));
    }

    [Fact]
    public void Parse_strips_leading_tabs_when_heredoc_uses_dash()
    {
        var heredoc = Lists("cat <<-END\n\tindented\n\tEND\n")[0].First.Commands[0].Redirections[0].HereDocument!;

        Assert.Equal("indented\n", heredoc.Body);
    }

    [Fact]
    public void Parse_separates_assignments_from_command_words()
    {
        var command = Lists("DEBIAN_FRONTEND=noninteractive apt-get install -y nginx")[0].First.Commands[0];

        Assert.Equal("DEBIAN_FRONTEND", Assert.Single(command.Assignments).Name);
        Assert.Equal("apt-get", command.Words[0].LiteralText);
    }

    [Fact]
    public void Parse_keeps_command_substitution_unexpanded_when_nested_in_double_quotes()
    {
        var command = Lists("echo \"<h1>$(curl -s http://169.254.169.254/latest/meta-data/instance-id)</h1>\" > /tmp/i")[0].First.Commands[0];

        var parts = command.Words[1].Parts;
        var substitution = Assert.IsType<CommandSubstitutionPart>(parts[1]);
        Assert.True(substitution.Quoted);
        Assert.Equal("curl -s http://169.254.169.254/latest/meta-data/instance-id", substitution.Script);
        Assert.Equal(RedirectionKind.Output, Assert.Single(command.Redirections).Kind);
    }

    [Theory]
    [InlineData("echo hi 2>&1 >> /tmp/log", 2)]
    [InlineData("curl -s localhost &>/dev/null", 1)]
    [InlineData("cat < /etc/hosts > /tmp/h", 2)]
    public void Parse_reads_every_redirection_when_a_command_has_several(string script, int expected)
    {
        Assert.Equal(expected, Lists(script)[0].First.Commands[0].Redirections.Count);
    }

    [Fact]
    public void Parse_reads_function_definitions_in_both_forms()
    {
        var statements = ShellScript.Parse("setup() {\n  echo in\n}\nfunction other {\n  echo x; echo y\n}\necho after\n").Statements;

        Assert.Equal(("setup", 1), (Assert.IsType<FunctionDefinition>(statements[0]).Name, ((FunctionDefinition)statements[0]).Body.Count));
        Assert.Equal(("other", 2), (Assert.IsType<FunctionDefinition>(statements[1]).Name, ((FunctionDefinition)statements[1]).Body.Count));
        Assert.Equal(["echo", "after"], LiteralWords(((AndOrList)statements[2]).First.Commands[0]));
    }

    [Fact]
    public void Parse_reports_select_as_an_unsupported_block()
    {
        var statements = ShellScript.Parse("select x in a b; do\n  echo $x\ndone\necho after\n").Statements;

        Assert.IsType<UnsupportedBlock>(statements[0]);
        Assert.IsType<AndOrList>(statements[1]);
    }

    [Fact]
    public void Parse_builds_case_items_with_alternative_patterns()
    {
        var statement = ShellScript.Parse("case \"$ROLE\" in\n  web|www) echo w;;\n  (db) echo d\n     echo d2 ;;\n  *) ;;\nesac\necho after").Statements;

        var choice = Assert.IsType<CaseStatement>(statement[0]);
        Assert.Equal([2, 1, 1], choice.Items.Select(i => i.Patterns.Count));
        Assert.Equal([1, 2, 0], choice.Items.Select(i => i.Body.Count));
        Assert.IsType<AndOrList>(statement[1]);
    }

    [Fact]
    public void Parse_builds_if_with_elif_and_else_branches()
    {
        var statement = ShellScript.Parse("if [ -f /a ]; then echo a\nelif [ -f /b ]; then\n echo b\nelse echo c; fi\necho after").Statements[0];

        var conditional = Assert.IsType<IfStatement>(statement);
        Assert.Equal(2, conditional.Branches.Count);
        Assert.Single(conditional.ElseBody!);
    }

    [Fact]
    public void Parse_builds_for_and_while_loops()
    {
        var statements = ShellScript.Parse("for p in nginx git\ndo\n  yum install -y $p\ndone\nwhile ! curl -s localhost; do sleep 1; done").Statements;

        var loop = Assert.IsType<ForStatement>(statements[0]);
        Assert.Equal(("p", 2, 1), (loop.Variable, loop.Items.Count, loop.Body.Count));
        var wait = Assert.IsType<WhileStatement>(statements[1]);
        Assert.True(((AndOrList)wait.Condition[0]).First.Negated);
    }

    [Fact]
    public void Parse_reports_a_syntax_error_when_fi_is_missing()
    {
        var statement = ShellScript.Parse("if true; then\n  echo never closed\n").Statements[0];

        Assert.Equal("syntax error: unexpected end of file", Assert.IsType<SyntaxErrorStatement>(statement).Message);
    }

    [Fact]
    public void Parse_builds_pipelines_when_commands_are_piped()
    {
        var pipeline = Lists("echo hello | sudo tee /var/www/html/index.html")[0].First;

        Assert.Equal(2, pipeline.Commands.Count);
    }

    [Theory]
    [InlineData("echo \"unterminated")]
    [InlineData("echo $(unterminated")]
    [InlineData("cat <<EOF")]
    [InlineData(";;; && || | & >")]
    [InlineData("'")]
    [InlineData("${")]
    [InlineData("\0\u0001\u00ff\r\n\t")]
    [InlineData("fi done esac }")]
    public void Parse_never_throws_when_input_is_garbage(string script)
    {
        var parsed = ShellScript.Parse(script);

        Assert.NotNull(parsed.Statements);
    }

    [Fact]
    public void Parse_reads_windows_line_endings_as_unix_text()
    {
        var lists = Lists("#!/bin/bash\r\nyum install -y nginx\r\nsystemctl start nginx\r\n");

        Assert.Equal(["systemctl", "start", "nginx"], LiteralWords(lists[1].First.Commands[0]));
    }
}
