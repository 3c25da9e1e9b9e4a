using System.Text;

namespace LabPortal.Sandbox.Runtime.Shell.Session;

/// <summary>The standard streams of one command: its input, and what it writes.</summary>
internal class CommandIo(string standardInput)
{
    public string StandardInput { get; } = standardInput;

    public virtual StringBuilder Out { get; } = new();

    public virtual StringBuilder Error { get; } = new();

    public void WriteLine(string line) => Out.Append(line).Append('\n');

    public void ErrorLine(string line) => Error.Append(line).Append('\n');

    /// <summary>Writes a line to standard output; status 0.</summary>
    public int Line(string text)
    {
        WriteLine(text);
        return 0;
    }

    /// <summary>Writes a message to standard error; returns <paramref name="status"/>.</summary>
    public int Fail(string message, int status)
    {
        ErrorLine(message);
        return status;
    }

    /// <summary>Notes a command (or an option) the sandbox does not model; status 0, so the script goes on.</summary>
    public int Ignored(string text)
    {
        ErrorLine($"[sandbox] ignored (not supported in the sandbox): {text}");
        return 0;
    }
}
