using System.Text;

namespace LabPortal.Sandbox.Runtime;

/// <summary>The standard streams of one command: its input, and what it writes.</summary>
internal sealed class CommandIo(string standardInput)
{
    public string StandardInput { get; } = standardInput;

    public StringBuilder Out { get; } = new();

    public StringBuilder Error { get; } = new();

    public void WriteLine(string line) => Out.Append(line).Append('\n');

    public void ErrorLine(string line) => Error.Append(line).Append('\n');
}
