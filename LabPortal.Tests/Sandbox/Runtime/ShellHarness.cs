using LabPortal.Sandbox.Runtime.Guest;
using LabPortal.Sandbox.Runtime.Shell;
using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Tests.Sandbox.Runtime;

/// <summary>An interpreter over a fresh guest OS, without a machine or listeners.</summary>
internal sealed class ShellHarness
{
    public ShellHarness(InstanceMetadata? metadata = null)
    {
        Metadata = metadata ?? RuntimeTestData.Metadata;
        Interpreter = new ShellInterpreter(Os, new InstanceMetadataService(Metadata, TimeProvider.System, () => "#!/bin/bash\necho hi\n"), TimeProvider.System);
    }

    public InstanceMetadata Metadata { get; }

    public GuestOperatingSystem Os { get; } = new();

    public ShellInterpreter Interpreter { get; }

    public ScriptRun Run(string script)
    {
        var output = new ScriptOutput();
        var status = Interpreter.Run(script, new ShellSession(Metadata, output));
        return new ScriptRun(status, output.StandardOutput, output.StandardError, output.Transcript);
    }

    public string? File(string path) => Os.Files.ReadFile(path);
}

internal sealed record ScriptRun(int Status, string Out, string Error, string Transcript);
