using System.Text;

namespace LabPortal.Sandbox.Runtime;

/// <summary>The standard streams of one command: its input, and what it writes.</summary>
internal class CommandIo(string standardInput)
{
    public string StandardInput { get; } = standardInput;

    public virtual StringBuilder Out { get; } = new();

    public virtual StringBuilder Error { get; } = new();

    public void WriteLine(string line) => Out.Append(line).Append('\n');

    public void ErrorLine(string line) => Error.Append(line).Append('\n');
}

/// <summary>A command's streams with standard output discarded and errors kept (quiet options).</summary>
internal sealed class QuietIo(CommandIo inner) : CommandIo(inner.StandardInput)
{
    private readonly StringBuilder _discarded = new();

    public override StringBuilder Out => _discarded;

    public override StringBuilder Error => inner.Error;
}
