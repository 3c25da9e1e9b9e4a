using System.Text;
using System.Text.RegularExpressions;

namespace LabPortal.Sandbox.Runtime;

/// <summary>
/// Runs the shell subset against the guest OS state. It never throws for a script's content:
/// unknown commands are reported as ignored (exit 0), errors get bash's message and exit code,
/// and the script's status is the last command's (or the failing one's under <c>set -e</c>).
/// </summary>
internal sealed partial class ShellInterpreter(GuestOperatingSystem os, InstanceMetadataService metadataService, TimeProvider timeProvider)
{
    private const int MaxDepth = 16;

    // One expanded word (a variable, a substitution's output) is capped, so "A=$A$A" repeated
    // cannot grow without bound; 1 MiB is far above anything a lab writes.
    internal const int MaxWordLength = 1024 * 1024;

    private readonly InstanceMetadata _metadata = metadataService.Metadata;

    private enum TargetKind
    {
        StandardOutput,
        StandardError,
        Pipe,
        File,
        Null,
    }

    private readonly record struct OutputTarget(TargetKind Kind, string? Path = null);

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
        var items = statement.Items.SelectMany(word => ExpandFields(word, session)).ToList();
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
        var subject = ExpandToString(statement.Subject, session);
        session.LastStatus = 0;
        foreach (var item in statement.Items)
        {
            if (item.Patterns.Any(pattern => PatternRegex(pattern, session).IsMatch(subject)))
            {
                RunStatements(item.Body, session);
                return;
            }
        }
    }

    /// <summary>A case pattern as a regex: unquoted * ? [..] are glob operators, everything else is literal.</summary>
    private Regex PatternRegex(ShellWord pattern, ShellSession session)
    {
        var builder = new StringBuilder("^");
        foreach (var part in pattern.Parts)
        {
            if (part is LiteralPart { Quoted: false } literal)
            {
                foreach (var c in literal.Text)
                {
                    builder.Append(c switch
                    {
                        '*' => ".*",
                        '?' => ".",
                        '[' or ']' => c.ToString(),
                        _ => Regex.Escape(c.ToString()),
                    });
                }
            }
            else
            {
                builder.Append(Regex.Escape(ExpandToString(new ShellWord([part]), session)));
            }
        }

        try
        {
            return new Regex(builder.Append('$').ToString(), RegexOptions.Singleline, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException)
        {
            return new Regex("^" + Regex.Escape(ExpandToString(pattern, session)) + "$", RegexOptions.Singleline, TimeSpan.FromSeconds(1));
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

            status = RunPipeline(pipeline, session);
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

    private int RunPipeline(Pipeline pipeline, ShellSession session)
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
            fields.AddRange(ExpandFields(word, session));
        }

        var assignments = command.Assignments.Select(a => (a.Name, Value: ExpandToString(a.Value, session))).ToList();
        if (fields.Count == 1 && fields[0] == "exec")
        {
            // "exec > >(tee /var/log/user-data.log | logger ...) 2>&1", from AWS's user data guide,
            // sends the rest of the script's output to a log and the console; here all output
            // already reaches the console, so the redirection is accepted and changes nothing.
            return (0, "");
        }

        var standardInput = input;
        var targets = new Dictionary<int, OutputTarget>
        {
            [1] = new(toPipe ? TargetKind.Pipe : TargetKind.StandardOutput),
            [2] = new(TargetKind.StandardError),
        };

        foreach (var redirection in command.Redirections)
        {
            var error = ApplyRedirection(redirection, targets, ref standardInput, session);
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
            status = Dispatch(fields, io, session);
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
        var writeError = Route(io.Out.ToString(), targets[1], pipe, session) ?? Route(io.Error.ToString(), targets[2], pipe, session);
        if (writeError is not null)
        {
            session.Output.WriteError($"bash: {fields[0]}: write error: {writeError}\n");
            status = 1;
        }

        return (status, pipe.ToString());
    }

    /// <summary>Delivers output to its target; the file system's error when a file write fails.</summary>
    private string? Route(string text, OutputTarget target, StringBuilder pipe, ShellSession session)
    {
        if (text.Length == 0)
        {
            return null;
        }

        switch (target.Kind)
        {
            case TargetKind.StandardOutput:
                session.Output.WriteOut(text);
                break;
            case TargetKind.StandardError:
                session.Output.WriteError(text);
                break;
            case TargetKind.Pipe:
                pipe.Append(text);
                break;
            case TargetKind.File:
                return os.Files.WriteFile(target.Path!, text, append: true);
            case TargetKind.Null:
                break;
        }

        return null;
    }

    private string? ApplyRedirection(Redirection redirection, Dictionary<int, OutputTarget> targets, ref string standardInput, ShellSession session)
    {
        switch (redirection.Kind)
        {
            case RedirectionKind.HereDocument:
                var document = redirection.HereDocument!;
                standardInput = document.Expand
                    ? ExpandToString(ShellParser.ParseHereDocumentBody(document.Body), session)
                    : document.Body;
                return null;
            case RedirectionKind.HereString:
                standardInput = ExpandToString(redirection.Target!, session) + "\n";
                return null;
            case RedirectionKind.Input:
                var inputName = ExpandToString(redirection.Target!, session);
                var inputPath = GuestFileSystem.Combine(session.WorkingDirectory, inputName);
                if (inputName == "/dev/null")
                {
                    standardInput = "";
                    return null;
                }

                if (os.Files.ReadFile(inputPath) is not { } content)
                {
                    return $"bash: {inputName}: No such file or directory";
                }

                standardInput = content;
                return null;
            case RedirectionKind.Duplicate:
                var from = ExpandToString(redirection.Target!, session);
                if (int.TryParse(from, System.Globalization.CultureInfo.InvariantCulture, out var source) && targets.TryGetValue(source, out var duplicated))
                {
                    targets[redirection.Fd] = duplicated;
                }

                return null;
            default:
                var name = ExpandToString(redirection.Target!, session);
                OutputTarget target;
                switch (name)
                {
                    case "/dev/null":
                        target = new OutputTarget(TargetKind.Null);
                        break;
                    case "/dev/stdout":
                        target = targets[1];
                        break;
                    case "/dev/stderr" or "/dev/console" or "/dev/tty" or "/dev/fd/63":
                        target = new OutputTarget(TargetKind.StandardError);
                        break;
                    default:
                        if (name.Length == 0)
                        {
                            return "bash: : No such file or directory";
                        }

                        var path = GuestFileSystem.Combine(session.WorkingDirectory, name);
                        // bash opens (and with ">" truncates) the file before the command runs.
                        var error = os.Files.WriteFile(path, "", append: redirection.Kind == RedirectionKind.Append);
                        if (error is not null)
                        {
                            return $"bash: {name}: {error}";
                        }

                        target = new OutputTarget(TargetKind.File, path);
                        break;
                }

                if (redirection.Fd == -1)
                {
                    targets[1] = target;
                    targets[2] = target;
                }
                else
                {
                    targets[redirection.Fd] = target;
                }

                return null;
        }
    }

    // ---- expansion ----

    internal string ExpandToString(ShellWord word, ShellSession session)
    {
        var builder = new StringBuilder();
        foreach (var part in word.Parts)
        {
            builder.Append(part switch
            {
                LiteralPart literal => literal.Text,
                ParameterPart parameter => ExpandParameter(parameter, session),
                CommandSubstitutionPart substitution => Substitute(substitution.Script, session),
                ArithmeticPart arithmetic => ExpandArithmetic(arithmetic, session),
                _ => "",
            });
            if (builder.Length > MaxWordLength)
            {
                builder.Length = MaxWordLength;
                break;
            }
        }

        return builder.ToString();
    }

    /// <summary>Expands a word into fields: unquoted expansions split on whitespace, unquoted globs match files.</summary>
    internal List<string> ExpandFields(ShellWord word, ShellSession session)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        var started = false;
        var glob = false;

        void Finish()
        {
            if (started)
            {
                var text = current.ToString();
                if (glob && ExpandGlob(text, session) is { Count: > 0 } matches)
                {
                    fields.AddRange(matches);
                }
                else
                {
                    fields.Add(text);
                }
            }

            current.Clear();
            started = false;
            glob = false;
        }

        foreach (var part in word.Parts)
        {
            if (part is LiteralPart literal)
            {
                current.Append(literal.Text);
                started = true;
                glob |= !literal.Quoted && literal.Text.IndexOfAny(['*', '?']) >= 0;
                continue;
            }

            var value = part switch
            {
                ParameterPart parameter => ExpandParameter(parameter, session),
                ArithmeticPart arithmetic => ExpandArithmetic(arithmetic, session),
                _ => Substitute(((CommandSubstitutionPart)part).Script, session),
            };
            if (part.Quoted)
            {
                current.Append(value.AsSpan(0, Math.Min(value.Length, Math.Max(0, MaxWordLength - current.Length))));
                started = true;
                continue;
            }

            if (current.Length + value.Length > MaxWordLength)
            {
                value = value[..Math.Max(0, MaxWordLength - current.Length)];
            }

            foreach (var c in value)
            {
                if (c is ' ' or '\t' or '\n')
                {
                    Finish();
                }
                else
                {
                    current.Append(c);
                    started = true;
                }
            }
        }

        Finish();
        return fields;
    }

    private List<string>? ExpandGlob(string pattern, ShellSession session)
    {
        var slash = pattern.LastIndexOf('/');
        var directoryPart = slash < 0 ? "" : pattern[..(slash + 1)];
        var namePattern = pattern[(slash + 1)..];
        if (directoryPart.IndexOfAny(['*', '?']) >= 0 || namePattern.Length == 0)
        {
            return null;
        }

        var directory = GuestFileSystem.Combine(session.WorkingDirectory, directoryPart.Length == 0 ? "." : directoryPart);
        var regex = new Regex("^" + Regex.Escape(namePattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.None, TimeSpan.FromSeconds(1));
        return os.Files.List(directory)?
            .Where(name => !name.StartsWith('.') && regex.IsMatch(name))
            .Select(name => directoryPart + name)
            .ToList();
    }

    private string ExpandParameter(ParameterPart parameter, ShellSession session)
    {
        var value = parameter.Name switch
        {
            "?" => session.LastStatus.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "$" => "1742",
            "#" => session.Positional.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "@" or "*" => string.Join(' ', session.Positional),
            [var digit] when digit is >= '1' and <= '9' => session.Positional.ElementAtOrDefault(digit - '1'),
            "0" => "/var/lib/cloud/instance/scripts/part-001",
            "PWD" => session.WorkingDirectory,
            "RANDOM" => Random.Shared.Next(32768).ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => session.Variables.GetValueOrDefault(parameter.Name),
        };

        if (parameter.Length)
        {
            return (value?.Length ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (string.IsNullOrEmpty(value) && parameter.DefaultValue is not null)
        {
            return ExpandToString(parameter.DefaultValue, session);
        }

        return value ?? "";
    }

    private string ExpandArithmetic(ArithmeticPart arithmetic, ShellSession session)
    {
        var expression = ExpandToString(arithmetic.Expression, session);
        if (Arithmetic.Evaluate(expression, name => session.Variables.GetValueOrDefault(name)) is { } value)
        {
            return value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        session.Output.WriteError($"bash: {expression}: syntax error in expression\n");
        return "0";
    }

    private string Substitute(string script, ShellSession session)
    {
        var output = new ScriptOutput();
        var child = session.CreateChild(output);
        var status = Run(script, child);
        session.SubstitutionStatus = status;
        if (output.StandardError.Length > 0)
        {
            session.Output.WriteError(output.StandardError);
        }

        // Command substitution drops trailing newlines (bash).
        return output.StandardOutput.TrimEnd('\n');
    }

    /// <summary>
    /// Calls a function: its commands run with the arguments as $1..., in the caller's shell
    /// (variables and directory carry back, as bash functions share them), with the call's
    /// redirections applied to its output.
    /// </summary>
    private int CallFunction(IReadOnlyList<ShellStatement> body, List<string> arguments, CommandIo io, ShellSession session)
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
    private int RunChildScript(string script, CommandIo io, ShellSession session, bool sameShell)
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
}
