using System.Text;
using LabPortal.Sandbox.Runtime.Shell.Session;
using LabPortal.Sandbox.Runtime.Shell.Syntax;

namespace LabPortal.Sandbox.Runtime.Shell;

/// <summary>
/// Runs a pipeline: each simple command's words expanded, its assignments and redirections
/// applied, the command dispatched, and its output passed to the next command or its targets.
/// </summary>
internal sealed class PipelineRunner(WordExpander expander, Redirector redirector, CommandDispatcher dispatcher)
{
    public int Run(Pipeline pipeline, ShellSession session)
    {
        var input = "";
        var status = 0;
        var failed = 0;
        for (var i = 0; i < pipeline.Commands.Count && !session.Exited; i++)
        {
            var last = i == pipeline.Commands.Count - 1;
            (status, input) = RunSimpleCommand(pipeline.Commands[i], input, toPipe: !last, session);
            if (status != 0)
            {
                failed = status;
            }
        }

        status = session.PipeFail && status == 0 ? failed : status;
        return pipeline.Negated ? (status == 0 ? 1 : 0) : status;
    }

    private (int Status, string PipeOutput) RunSimpleCommand(SimpleCommand command, string input, bool toPipe, ShellSession session)
    {
        session.SubstitutionStatus = null;
        if (!session.Budget.TryTake())
        {
            return (1, "");
        }

        if (session.Depth == 0)
        {
            session.Output.Trace(command.Source);
        }

        var fields = new List<string>();
        foreach (var word in command.Words)
        {
            fields.AddRange(expander.ExpandFields(word, session));
        }

        var assignments = command.Assignments.Select(a => (a.Name, Value: expander.ExpandToString(a.Value, session))).ToList();
        if (fields.Count == 1 && fields[0] == "exec")
        {
            // "exec > >(tee /var/log/user-data.log | logger ...) 2>&1", from AWS's user data guide,
            // sends the rest of the script's output to a log and the console; here all output
            // already reaches the console, so the redirection is accepted and changes nothing.
            return (0, "");
        }

        var standardInput = input;
        var targets = Redirector.DefaultTargets(toPipe);

        foreach (var redirection in command.Redirections)
        {
            var error = redirector.Apply(redirection, targets, ref standardInput, session);
            if (error is not null)
            {
                session.Output.WriteError(error + "\n");
                return (1, "");
            }
        }

        if (fields.Count == 0)
        {
            foreach (var (name, value) in assignments)
            {
                session.Variables[name] = value;
            }

            return (session.SubstitutionStatus ?? 0, "");
        }

        if (session.XTrace)
        {
            session.Output.WriteError("+ " + string.Join(' ', fields) + "\n");
        }

        // "VAR=value command": the variable exists only for that command.
        var saved = assignments.Select(a => (a.Name, Old: session.Variables.GetValueOrDefault(a.Name))).ToList();
        foreach (var (name, value) in assignments)
        {
            session.Variables[name] = value;
        }

        var io = new CommandIo(standardInput);
        int status;
        try
        {
            status = dispatcher.Dispatch(fields, io, session);
        }
        finally
        {
            foreach (var (name, old) in saved)
            {
                if (old is null)
                {
                    session.Variables.Remove(name);
                }
                else
                {
                    session.Variables[name] = old;
                }
            }
        }

        var pipe = new StringBuilder();
        var writeError = redirector.Route(io.Out.ToString(), targets[1], pipe, session) ?? redirector.Route(io.Error.ToString(), targets[2], pipe, session);
        if (writeError is not null)
        {
            session.Output.WriteError($"bash: {fields[0]}: write error: {writeError}\n");
            status = 1;
        }

        return (status, pipe.ToString());
    }
}
