namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary>
/// One command of the shell subset (a builtin or a program of the image). The interpreter has
/// expanded the words and applied the redirections; the command reads its input from and writes
/// its output to <see cref="CommandContext.Io"/> and returns its exit status.
/// </summary>
internal interface IShellCommand
{
    /// <summary>The names that run this command (<c>yum</c> and <c>dnf</c>, <c>[</c> and <c>test</c>...).</summary>
    IReadOnlyList<string> Names { get; }

    /// <summary>Runs the command with its arguments (the command name excluded); returns the exit status.</summary>
    int Run(CommandContext context, List<string> arguments);
}
