using LabPortal.Sandbox.Runtime.Guest;
using LabPortal.Sandbox.Runtime.Shell.Commands;
using LabPortal.Sandbox.Runtime.Shell.Session;
using LabPortal.Sandbox.Runtime.Shell.Syntax;

namespace LabPortal.Sandbox.Runtime.Shell;

/// <summary>
/// Runs the shell subset against the guest OS state. It never throws for a script's content:
/// unknown commands are reported as ignored (exit 0), errors get bash's message and exit code,
/// and the script's status is the last command's (or the failing one's under <c>set -e</c>).
/// This class runs statements and control flow; <see cref="PipelineRunner"/> runs commands,
/// <see cref="WordExpander"/> expands words and <see cref="ShellCommandTable"/> holds the commands.
/// </summary>
internal sealed class ShellInterpreter : IScriptRunner
{
    private const int MaxDepth = 16;

    private readonly GuestOperatingSystem _os;
    private readonly WordExpander _expander;
    private readonly PipelineRunner _pipelines;

    public ShellInterpreter(GuestOperatingSystem os, InstanceMetadataService metadataService, TimeProvider timeProvider)
    {
        _os = os;
        _expander = new WordExpander(os, this);
        var dispatcher = new CommandDispatcher(ShellCommandTable.Create(os, metadataService, timeProvider, this), this);
        _pipelines = new PipelineRunner(_expander, new Redirector(os, _expander), dispatcher);
    }

    public int Run(string script, ShellSession session)
    {
        if (session.Depth > MaxDepth)
        {
            session.Output.WriteError("bash: maximum nesting level exceeded\n");
            return 1;
        }

        RunStatements(ShellScript.Parse(script).Statements, session);
        return session.LastStatus;
    }

    private void RunStatements(IReadOnlyList<ShellStatement> statements, ShellSession session)
    {
        foreach (var statement in statements)
        {
            if (session.Exited || session.Returning || session.PendingBreaks > 0 || session.PendingContinue)
            {
                break;
            }

            if (session.Budget.Exhausted)
            {
                session.Output.Note($"script stopped: it ran more than {CommandBudget.Limit} commands.");
                session.LastStatus = 1;
                session.Exited = true;
                break;
            }

            RunStatement(statement, session);
        }
    }

    private int RunCondition(IReadOnlyList<ShellStatement> condition, ShellSession session)
    {
        session.ConditionDepth++;
        try
        {
            session.LastStatus = 0;
            RunStatements(condition, session);
            return session.LastStatus;
        }
        finally
        {
            session.ConditionDepth--;
        }
    }

    private void RunIf(IfStatement statement, ShellSession session)
    {
        foreach (var branch in statement.Branches)
        {
            if (RunCondition(branch.Condition, session) == 0 && !session.Exited)
            {
                session.LastStatus = 0;
                RunStatements(branch.Body, session);
                return;
            }
        }

        session.LastStatus = 0;
        if (statement.ElseBody is not null && !session.Exited)
        {
            RunStatements(statement.ElseBody, session);
        }
    }

    private void RunFor(ForStatement statement, ShellSession session)
    {
        var items = statement.Items.SelectMany(word => _expander.ExpandFields(word, session)).ToList();
        session.LastStatus = 0;
        foreach (var item in items)
        {
            session.Variables[statement.Variable] = item;
            RunStatements(statement.Body, session);
            if (EndOfIteration(session))
            {
                break;
            }
        }
    }

    private void RunWhile(WhileStatement statement, ShellSession session)
    {
        var status = 0;
        while (!session.Exited && !session.Budget.Exhausted)
        {
            if ((RunCondition(statement.Condition, session) == 0) == statement.Until || session.Exited)
            {
                break;
            }

            // A loop that waits for something the sandbox never does (a file from another
            // process...) would spin; the command budget ends it and reports it.
            session.LastStatus = 0;
            RunStatements(statement.Body, session);
            status = session.LastStatus;
            if (EndOfIteration(session))
            {
                break;
            }
        }

        session.LastStatus = session.Exited ? session.LastStatus : status;
    }

    private void RunCase(CaseStatement statement, ShellSession session)
    {
        var subject = _expander.ExpandToString(statement.Subject, session);
        session.LastStatus = 0;
        foreach (var item in statement.Items)
        {
            if (item.Patterns.Any(pattern => _expander.PatternRegex(pattern, session).IsMatch(subject)))
            {
                RunStatements(item.Body, session);
                return;
            }
        }
    }

    /// <summary>Consumes a pending continue; true when the loop must end (break, exit).</summary>
    private static bool EndOfIteration(ShellSession session)
    {
        session.PendingContinue = false;
        if (session.PendingBreaks > 0)
        {
            session.PendingBreaks--;
            return true;
        }

        return session.Exited;
    }

    private void RunStatement(ShellStatement statement, ShellSession session)
    {
        switch (statement)
        {
            case IfStatement conditional:
                RunIf(conditional, session);
                return;
            case ForStatement loop:
                RunFor(loop, session);
                return;
            case WhileStatement loop:
                RunWhile(loop, session);
                return;
            case CaseStatement choice:
                RunCase(choice, session);
                return;
            case GroupStatement group:
                RunStatements(group.Body, session);
                return;
            case FunctionDefinition function:
                session.Functions[function.Name] = function.Body;
                session.LastStatus = 0;
                return;
            case SyntaxErrorStatement error:
                session.Output.WriteError($"bash: {error.Message} (in: {error.Source})\n");
                session.LastStatus = 2;
                session.Exited = true;
                return;
            default:
                break;
        }

        if (statement is UnsupportedBlock block)
        {
            var firstLine = block.Source.Split('\n')[0];
            var more = block.Source.Contains('\n', StringComparison.Ordinal) ? " ..." : "";
            session.Output.Note($"ignored (not supported in the sandbox): {firstLine}{more}");
            session.LastStatus = 0;
            return;
        }

        var list = (AndOrList)statement;
        session.InBackground = list.Background;
        var pipelines = new List<(ListOperator? Operator, Pipeline Pipeline)> { (null, list.First) };
        pipelines.AddRange(list.Rest.Select(r => ((ListOperator?)r.Operator, r.Pipeline)));
        var status = 0;
        var lastRan = -1;
        for (var i = 0; i < pipelines.Count && !session.Exited; i++)
        {
            var (op, pipeline) = pipelines[i];
            if ((op == ListOperator.And && status != 0) || (op == ListOperator.Or && status == 0))
            {
                continue;
            }

            status = _pipelines.Run(pipeline, session);
            session.LastStatus = status;
            lastRan = i;
        }

        // set -e ignores a failure that an && or || list tests, except in its last command (bash).
        if (session.ErrExit && session.ConditionDepth == 0 && status != 0 && lastRan == pipelines.Count - 1
            && !pipelines[lastRan].Pipeline.Negated && !session.Exited && !session.Returning)
        {
            session.Exited = true;
        }
    }

    /// <summary>
    /// Calls a function: its commands run with the arguments as $1..., in the caller's shell
    /// (variables and directory carry back, as bash functions share them), with the call's
    /// redirections applied to its output.
    /// </summary>
    public int CallFunction(IReadOnlyList<ShellStatement> body, List<string> arguments, CommandIo io, ShellSession session)
    {
        if (session.Depth > MaxDepth)
        {
            io.ErrorLine("bash: maximum function nesting level exceeded");
            return 1;
        }

        var output = new ScriptOutput();
        var call = session.CreateChild(output);
        call.Positional = arguments;
        call.FunctionDepth = session.FunctionDepth + 1;
        call.ErrExit = session.ErrExit;
        call.XTrace = session.XTrace;
        call.PipeFail = session.PipeFail;
        call.ConditionDepth = session.ConditionDepth; // "if f; then": set -e does not apply inside f either
        RunStatements(body, call);
        foreach (var (name, value) in call.Variables)
        {
            session.Variables[name] = value;
        }

        foreach (var (name, definition) in call.Functions)
        {
            session.Functions[name] = definition;
        }

        session.WorkingDirectory = call.WorkingDirectory;
        session.ErrExit = call.ErrExit;
        session.XTrace = call.XTrace;
        if (call.Exited)
        {
            // "exit" in a function (or a set -e failure) ends the whole script.
            session.Exited = true;
        }

        io.Out.Append(output.StandardOutput);
        io.Error.Append(output.StandardError);
        return call.LastStatus;
    }

    /// <summary>Runs script text in a child shell that shares the parent's output (<c>bash -c</c>, <c>bash file</c>).</summary>
    public int RunChildScript(string script, CommandIo io, ShellSession session, bool sameShell)
    {
        var output = new ScriptOutput();
        var child = sameShell ? null : session.CreateChild(output);
        int status;
        if (child is null)
        {
            var nested = session.CreateChild(output);
            status = Run(script, nested);
            // "source" runs in the current shell: its variables and directory carry over.
            foreach (var (name, value) in nested.Variables)
            {
                session.Variables[name] = value;
            }

            session.WorkingDirectory = nested.WorkingDirectory;
        }
        else
        {
            status = Run(script, child);
        }

        io.Out.Append(output.StandardOutput);
        io.Error.Append(output.StandardError);
        return status;
    }

    public int RunScriptFile(string name, CommandIo io, ShellSession session, bool asProgram)
    {
        var path = GuestFileSystem.Combine(session.WorkingDirectory, name);
        if (_os.Files.ReadFile(path) is { } script)
        {
            return RunChildScript(script, io, session, sameShell: false);
        }

        if (asProgram && name.StartsWith('/'))
        {
            // A program of the image the sandbox does not model (/usr/local/bin/foo ...).
            return _os.Files.DirectoryExists(path) ? io.Fail($"bash: {name}: Is a directory", 126) : io.Ignored(name);
        }

        return io.Fail($"bash: {name}: No such file or directory", 127);
    }
}
