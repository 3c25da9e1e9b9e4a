using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary><c>set</c>: the options -e, -x and -o pipefail, and the positional parameters.</summary>
internal sealed class SetCommand : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = ["set"];

    public int Run(CommandContext context, List<string> arguments)
        => Set(arguments, context.Session);

    private static int Set(List<string> arguments, ShellSession session)
    {
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            if (argument == "--" || argument.Length < 2 || argument[0] is not ('-' or '+'))
            {
                // "set -- a b" (or "set a b") replaces the positional parameters.
                session.Positional = [.. arguments.Skip(argument == "--" ? i + 1 : i)];
                break;
            }

            var on = argument[0] == '-';
            for (var j = 1; j < argument.Length; j++)
            {
                switch (argument[j])
                {
                    case 'e':
                        session.ErrExit = on;
                        break;
                    case 'x':
                        session.XTrace = on;
                        break;
                    case 'o' when i + 1 < arguments.Count:
                        var option = arguments[++i];
                        if (option == "errexit")
                        {
                            session.ErrExit = on;
                        }
                        else if (option == "xtrace")
                        {
                            session.XTrace = on;
                        }
                        else if (option == "pipefail")
                        {
                            session.PipeFail = on;
                        }

                        break;
                    default:
                        break; // -u, -v, -o nounset ...: accepted; the subset does not model them.
                }
            }
        }

        return 0;
    }
}
