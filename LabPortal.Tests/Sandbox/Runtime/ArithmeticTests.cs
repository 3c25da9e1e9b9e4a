using LabPortal.Sandbox.Runtime.Shell;

namespace LabPortal.Tests.Sandbox.Runtime;

public sealed class ArithmeticTests
{
    [Theory]
    [InlineData("1 + 2 * 3", 7)]
    [InlineData("(1 + 2) * 3", 9)]
    [InlineData("7 / 2 + 7 % 2", 4)]
    [InlineData("2 ** 10", 1024)]
    [InlineData("-3 + +1", -2)]
    [InlineData("i + 1", 42)]
    [InlineData("unset * 5", 0)]
    [InlineData("i >= 41 && i < 42", 1)]
    [InlineData("i == 41 || !1", 1)]
    [InlineData("3 != 3", 0)]
    public void Evaluate_computes_bash_integer_arithmetic(string expression, long expected)
    {
        Assert.Equal(expected, Arithmetic.Evaluate(expression, name => name == "i" ? "41" : null));
    }

    [Theory]
    [InlineData("1 / 0")]
    [InlineData("1 +")]
    [InlineData("(1")]
    [InlineData("1 2")]
    [InlineData("")]
    public void Evaluate_returns_null_when_expression_is_invalid(string expression)
    {
        Assert.Null(Arithmetic.Evaluate(expression, _ => null));
    }

    [Fact]
    public void Arithmetic_expansion_counts_in_a_loop()
    {
        var shell = new ShellHarness();

        var run = shell.Run("i=0\nwhile [ $i -lt 3 ]; do\n  i=$((i + 1))\n  echo \"server $i\" >> /tmp/n\ndone\necho $(( $i * 10 ))");

        Assert.Equal("30\n", run.Out);
        Assert.Equal("server 1\nserver 2\nserver 3\n", shell.File("/tmp/n"));
    }
}
