using LabPortal.Sandbox.Runtime.Guest;
using LabPortal.Sandbox.Runtime.Shell.Syntax;

namespace LabPortal.Sandbox.Runtime.Shell.Session;

/// <summary>The state of one running shell: variables, working directory, options, output.</summary>
internal sealed class ShellSession
{
    public ShellSession(InstanceMetadata metadata, ScriptOutput output, string workingDirectory = "/")
    {
        Output = output;
        WorkingDirectory = workingDirectory;
        Variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["HOME"] = "/root",
            ["USER"] = "root",
            ["LOGNAME"] = "root",
            ["SHELL"] = "/bin/bash",
            ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            ["HOSTNAME"] = metadata.LocalHostname,
            ["PWD"] = workingDirectory,
        };
    }

    private ShellSession(ShellSession parent, ScriptOutput output)
    {
        Output = output;
        WorkingDirectory = parent.WorkingDirectory;
        Variables = new Dictionary<string, string>(parent.Variables, StringComparer.Ordinal);
        Depth = parent.Depth + 1;
        LastStatus = parent.LastStatus;
        Budget = parent.Budget;
        Functions = new Dictionary<string, IReadOnlyList<ShellStatement>>(parent.Functions, StringComparer.Ordinal);
        Positional = parent.Positional;
        FunctionDepth = parent.FunctionDepth;
    }

    /// <summary>Functions defined so far; subshells see them (bash).</summary>
    public Dictionary<string, IReadOnlyList<ShellStatement>> Functions { get; } = new(StringComparer.Ordinal);

    /// <summary>$1, $2, ... of the running function.</summary>
    public IReadOnlyList<string> Positional { get; set; } = [];

    /// <summary>Nesting of function calls; "return" ends the innermost one.</summary>
    public int FunctionDepth { get; set; }

    /// <summary>Set by "return" until the function call that runs it ends.</summary>
    public bool Returning { get; set; }

    public Dictionary<string, string> Variables { get; }

    public ScriptOutput Output { get; }

    public string WorkingDirectory { get; set; }

    /// <summary>Nesting of subshells and command substitutions; 0 is the script itself.</summary>
    public int Depth { get; }

    /// <summary>Commands left for the whole script, shared with its subshells.</summary>
    public CommandBudget Budget { get; } = new();

    public bool ErrExit { get; set; }

    public bool XTrace { get; set; }

    public bool PipeFail { get; set; }

    public int LastStatus { get; set; }

    /// <summary>Status of the last command substitution, which an assignment-only command returns.</summary>
    public int? SubstitutionStatus { get; set; }

    public bool Exited { get; set; }

    /// <summary>Above zero while an if/while condition runs: set -e does not apply there (bash).</summary>
    public int ConditionDepth { get; set; }

    /// <summary>Loops still to leave after <c>break [n]</c>.</summary>
    public int PendingBreaks { get; set; }

    public bool PendingContinue { get; set; }

    /// <summary>True while the statement being run ended with "&amp;".</summary>
    public bool InBackground { get; set; }

    /// <summary>A child shell (<c>$(...)</c>, <c>bash -c</c>): a copy of the variables, its own output.</summary>
    public ShellSession CreateChild(ScriptOutput output) => new(this, output);
}
