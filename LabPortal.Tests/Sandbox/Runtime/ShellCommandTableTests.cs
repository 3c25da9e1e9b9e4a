using LabPortal.Sandbox.Runtime.Shell.Commands;

namespace LabPortal.Tests.Sandbox.Runtime;

public sealed class ShellCommandTableTests
{
    [Fact]
    public void Table_refuses_two_commands_when_they_claim_one_name()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new ShellCommandTable([new TrueCommand(), new FalseCommand(), new TrueCommand()]));

        Assert.Contains("':'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Table_finds_a_command_by_each_of_its_names_and_nothing_else()
    {
        var silent = new AcceptedSilentlyCommand();
        var table = new ShellCommandTable([new TrueCommand(), silent]);

        Assert.All(silent.Names, name => Assert.Same(silent, table.Find(name)));
        Assert.Null(table.Find("yum"));
    }
}
