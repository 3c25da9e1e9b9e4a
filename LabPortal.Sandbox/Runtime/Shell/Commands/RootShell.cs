using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary>What a request for an interactive root shell does in a script.</summary>
internal static class RootShell
{
    public static int Continue(CommandIo io, string text)
    {
        // In cloud-init and SSM the script already runs as root, and an interactive root shell
        // started without a terminal reads no input and exits at once; the script goes on.
        io.ErrorLine($"[sandbox] {text}: the script already runs as root; it continues as root.");
        return 0;
    }
}
