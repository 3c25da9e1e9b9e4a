using System.Text;

namespace LabPortal.Sandbox.Runtime.Shell.Session;

/// <summary>A command's streams with standard output discarded and errors kept (quiet options).</summary>
internal sealed class QuietIo(CommandIo inner) : CommandIo(inner.StandardInput)
{
    private readonly StringBuilder _discarded = new();

    public override StringBuilder Out => _discarded;

    public override StringBuilder Error => inner.Error;
}
