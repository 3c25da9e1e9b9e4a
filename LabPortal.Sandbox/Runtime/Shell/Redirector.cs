using System.Text;
using LabPortal.Sandbox.Runtime.Guest;
using LabPortal.Sandbox.Runtime.Shell.Session;
using LabPortal.Sandbox.Runtime.Shell.Syntax;

namespace LabPortal.Sandbox.Runtime.Shell;

/// <summary>
/// A command's redirections: here-documents and input files become its standard input, and
/// its output descriptors point at the console, a pipe, a file or nowhere.
/// </summary>
internal sealed class Redirector(GuestOperatingSystem os, WordExpander expander)
{
    /// <summary>Standard output and error of a command before its redirections apply.</summary>
    public static Dictionary<int, OutputTarget> DefaultTargets(bool toPipe) => new()
    {
        [1] = new(toPipe ? OutputTargetKind.Pipe : OutputTargetKind.StandardOutput),
        [2] = new(OutputTargetKind.StandardError),
    };

    /// <summary>Delivers output to its target; the file system's error when a file write fails.</summary>
    public string? Route(string text, OutputTarget target, StringBuilder pipe, ShellSession session)
    {
        if (text.Length == 0)
        {
            return null;
        }

        switch (target.Kind)
        {
            case OutputTargetKind.StandardOutput:
                session.Output.WriteOut(text);
                break;
            case OutputTargetKind.StandardError:
                session.Output.WriteError(text);
                break;
            case OutputTargetKind.Pipe:
                pipe.Append(text);
                break;
            case OutputTargetKind.File:
                return os.Files.WriteFile(target.Path!, text, append: true);
            case OutputTargetKind.Null:
                break;
        }

        return null;
    }

    public string? Apply(Redirection redirection, Dictionary<int, OutputTarget> targets, ref string standardInput, ShellSession session)
    {
        switch (redirection.Kind)
        {
            case RedirectionKind.HereDocument:
                var document = redirection.HereDocument!;
                standardInput = document.Expand
                    ? expander.ExpandToString(ShellParser.ParseHereDocumentBody(document.Body), session)
                    : document.Body;
                return null;
            case RedirectionKind.HereString:
                standardInput = expander.ExpandToString(redirection.Target!, session) + "\n";
                return null;
            case RedirectionKind.Input:
                var inputName = expander.ExpandToString(redirection.Target!, session);
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
                var from = expander.ExpandToString(redirection.Target!, session);
                if (int.TryParse(from, System.Globalization.CultureInfo.InvariantCulture, out var source) && targets.TryGetValue(source, out var duplicated))
                {
                    targets[redirection.Fd] = duplicated;
                }

                return null;
            default:
                var name = expander.ExpandToString(redirection.Target!, session);
                OutputTarget target;
                switch (name)
                {
                    case "/dev/null":
                        target = new OutputTarget(OutputTargetKind.Null);
                        break;
                    case "/dev/stdout":
                        target = targets[1];
                        break;
                    case "/dev/stderr" or "/dev/console" or "/dev/tty" or "/dev/fd/63":
                        target = new OutputTarget(OutputTargetKind.StandardError);
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

                        target = new OutputTarget(OutputTargetKind.File, path);
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
}
