namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary>
/// Commands that succeed silently and change nothing the sandbox models (permissions, owners,
/// SELinux labels, links): a script that runs them should go on exactly as on a real instance.
/// </summary>
internal sealed class AcceptedSilentlyCommand : IShellCommand
{
    public IReadOnlyList<string> Names { get; } =
    [
        "chmod", "chown", "chgrp", "ln", "restorecon", "chcon", "setenforce", "sync", "umask", "hash", "ulimit", "alias",
        "wait", "trap", "shopt", "sleep", "usleep",
    ];

    public int Run(CommandContext context, List<string> arguments) => 0;
}
