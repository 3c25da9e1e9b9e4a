using LabPortal.Sandbox.Runtime;

namespace LabPortal.Tests.Sandbox.Runtime;

public sealed class ConsoleLogTests
{
    [Fact]
    public void Append_keeps_the_most_recent_64_kib_cut_at_a_line_boundary()
    {
        var log = new ConsoleLog("");

        for (var i = 0; i < 5000; i++)
        {
            log.Append($"line {i:D5} " + new string('x', 20));
        }

        var text = log.Text;
        Assert.True(text.Length <= ConsoleLog.Capacity);
        Assert.StartsWith("line ", text, StringComparison.Ordinal);
        Assert.EndsWith($"line 04999 {new string('x', 20)}\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_trims_restored_text_to_capacity()
    {
        var log = new ConsoleLog(string.Concat(Enumerable.Repeat("0123456789\n", 10_000)));

        Assert.True(log.Text.Length <= ConsoleLog.Capacity);
        Assert.StartsWith("0123456789\n", log.Text, StringComparison.Ordinal);
    }
}
