using LabPortal.Sandbox.Runtime.Shell.Session;
using LabPortal.Sandbox.Runtime.Shell.Syntax;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary>What commands and expansions ask of the interpreter: running script text, files and functions.</summary>
internal interface IScriptRunner
{
    /// <summary>Runs a script in <paramref name="session"/>; returns its exit status.</summary>
    int Run(string script, ShellSession session);

    /// <summary>Runs script text in a child shell (<c>bash -c</c>), or in the current one when <paramref name="sameShell"/> (<c>source</c>).</summary>
    int RunChildScript(string script, CommandIo io, ShellSession session, bool sameShell);

    /// <summary>Runs a script file; <paramref name="asProgram"/> when it was named as a command (<c>/opt/setup.sh</c>).</summary>
    int RunScriptFile(string name, CommandIo io, ShellSession session, bool asProgram);

    /// <summary>Calls a shell function with its arguments as $1...</summary>
    int CallFunction(IReadOnlyList<ShellStatement> body, List<string> arguments, CommandIo io, ShellSession session);
}
