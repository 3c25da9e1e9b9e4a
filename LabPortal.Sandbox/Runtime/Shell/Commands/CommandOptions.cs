namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary>coreutils' option syntax: clustered short flags, a few long ones, "--" ending the options.</summary>
internal static class CommandOptions
{
    public static (HashSet<char> Flags, List<string> Operands) Split(List<string> arguments)
    {
        var flags = new HashSet<char>();
        var operands = new List<string>();
        var endOfOptions = false;
        foreach (var argument in arguments)
        {
            if (!endOfOptions && argument == "--")
            {
                endOfOptions = true;
            }
            else if (!endOfOptions && argument.Length > 1 && argument[0] == '-')
            {
                if (argument.StartsWith("--", StringComparison.Ordinal))
                {
                    flags.Add(argument switch
                    {
                        "--recursive" => 'r',
                        "--force" => 'f',
                        "--parents" => 'p',
                        "--append" => 'a',
                        _ => '?',
                    });
                }
                else
                {
                    flags.UnionWith(argument.Skip(1));
                }
            }
            else
            {
                operands.Add(argument);
            }
        }

        return (flags, operands);
    }
}
