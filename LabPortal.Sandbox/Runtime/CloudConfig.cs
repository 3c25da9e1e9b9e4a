using System.Text;
using System.Text.RegularExpressions;

namespace LabPortal.Sandbox.Runtime;

/// <summary>A file of <c>write_files</c>.</summary>
internal sealed record CloudConfigFile(string Path, string Content, bool Append);

/// <summary>
/// The part of a <c>#cloud-config</c> document the labs use, in the order cloud-init's modules
/// act on it: <c>write_files</c> (init stage), <c>package_update</c>/<c>packages</c> (config
/// stage), then <c>runcmd</c> (run by scripts-user in the final stage). Other keys are listed
/// so the console can say they were ignored. Only the YAML those keys need is read: block
/// mappings and lists, flow lists, quoted and block (<c>|</c>, <c>&gt;</c>) scalars.
/// </summary>
internal sealed partial record CloudConfig(
    IReadOnlyList<CloudConfigFile> WriteFiles,
    bool PackageUpdate,
    IReadOnlyList<string> Packages,
    IReadOnlyList<string> RunCommands,
    IReadOnlyList<string> IgnoredKeys)
{
    public static CloudConfig Parse(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var files = new List<CloudConfigFile>();
        var packages = new List<string>();
        var commands = new List<string>();
        var ignored = new List<string>();
        var update = false;
        var i = 0;
        while (i < lines.Length)
        {
            var match = TopLevelKey().Match(lines[i]);
            if (!match.Success)
            {
                i++;
                continue;
            }

            var key = match.Groups[1].Value;
            var inline = match.Groups[2].Value.Trim();
            var block = new List<string>();
            for (i++; i < lines.Length && (lines[i].Length == 0 || lines[i][0] is ' ' or '\t' or '-' or '#'); i++)
            {
                block.Add(lines[i]);
            }

            switch (key)
            {
                case "packages":
                    packages.AddRange(ListItems(inline, block).Select(item => Unquote(item.Split('\n')[0])));
                    break;
                case "runcmd":
                    commands.AddRange(ListItems(inline, block).Select(ToShellCommand));
                    break;
                case "write_files":
                    files.AddRange(ListItems(inline, block).Select(ToFile).OfType<CloudConfigFile>());
                    break;
                case "package_update" or "repo_update" or "package_upgrade" or "repo_upgrade":
                    update |= Unquote(inline) is "true" or "True" or "all" or "yes";
                    break;
                default:
                    ignored.Add(key);
                    break;
            }
        }

        return new CloudConfig(files, update, packages, commands, ignored);
    }

    /// <summary>The items of a block list ("- a") or a flow list ("[a, b]"), each with its continuation lines.</summary>
    private static List<string> ListItems(string inline, List<string> block)
    {
        if (inline.StartsWith('['))
        {
            return SplitFlow(inline);
        }

        var items = new List<string>();
        int? indent = null;
        foreach (var line in block)
        {
            var trimmed = line.TrimStart();
            var lineIndent = line.Length - trimmed.Length;
            if (trimmed.StartsWith('#') && items.Count == 0)
            {
                continue;
            }

            if (trimmed.StartsWith('-') && (trimmed.Length == 1 || trimmed[1] == ' ') && (indent is null || lineIndent == indent))
            {
                indent = lineIndent;
                // "- key: value" continues on lines indented to the text after "- ".
                items.Add(new string(' ', lineIndent + 2) + trimmed[1..].TrimStart());
            }
            else if (items.Count > 0)
            {
                items[^1] += "\n" + line;
            }
        }

        return items.Select(item => Dedent(item)).ToList();
    }

    private static string ToShellCommand(string item)
    {
        var text = item.Trim();
        if (!text.StartsWith('['))
        {
            return Unquote(text);
        }

        // A list item is an argv; cloud-init quotes each element for the shell.
        return string.Join(' ', SplitFlow(text).Select(argument => "'" + Unquote(argument).Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
    }

    private static CloudConfigFile? ToFile(string item)
    {
        var fields = Mapping(item);
        if (!fields.TryGetValue("path", out var path))
        {
            return null;
        }

        var content = fields.GetValueOrDefault("content", "");
        var append = fields.GetValueOrDefault("append") is "true" or "True";
        return new CloudConfigFile(path, content, append);
    }

    /// <summary>A block mapping's scalars; block scalars ("|", "&gt;") keep their lines.</summary>
    private static Dictionary<string, string> Mapping(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var match = MappingEntry().Match(lines[i]);
            if (!match.Success || match.Groups[1].Value.Length > 0)
            {
                continue; // only the item's own keys, at its first column
            }

            var key = match.Groups[2].Value;
            var value = match.Groups[3].Value.Trim();
            if (value.StartsWith('|') || value.StartsWith('>'))
            {
                var body = new List<string>();
                for (i++; i < lines.Length && (lines[i].Length == 0 || lines[i][0] is ' ' or '\t'); i++)
                {
                    body.Add(lines[i]);
                }

                i--;
                var dedented = Dedent(string.Join('\n', body)).TrimEnd('\n');
                result[key] = value.StartsWith('>')
                    ? string.Join(' ', dedented.Split('\n')) + "\n"
                    : dedented + (value.Contains('-', StringComparison.Ordinal) ? "" : "\n");
            }
            else
            {
                result[key] = Unquote(value);
            }
        }

        return result;
    }

    private static List<string> SplitFlow(string text)
    {
        var inner = text.Trim().TrimStart('[').TrimEnd(']');
        var items = new List<string>();
        var current = new StringBuilder();
        char? quote = null;
        foreach (var c in inner)
        {
            if (quote is null && c == ',')
            {
                items.Add(current.ToString().Trim());
                current.Clear();
                continue;
            }

            if (c is '"' or '\'')
            {
                quote = quote == c ? null : quote ?? c;
            }

            current.Append(c);
        }

        if (current.ToString().Trim().Length > 0)
        {
            items.Add(current.ToString().Trim());
        }

        return items;
    }

    private static string Dedent(string text)
    {
        var lines = text.Split('\n');
        var indent = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        return string.Join('\n', lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));
    }

    private static string Unquote(string value)
    {
        var text = value.Trim();
        if (text.Length >= 2 && ((text[0] == '"' && text[^1] == '"') || (text[0] == '\'' && text[^1] == '\'')))
        {
            var inner = text[1..^1];
            return text[0] == '"' ? inner.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\n", "\n", StringComparison.Ordinal) : inner.Replace("''", "'", StringComparison.Ordinal);
        }

        var comment = text.IndexOf(" #", StringComparison.Ordinal);
        return comment >= 0 ? text[..comment].TrimEnd() : text;
    }

    [GeneratedRegex(@"^([A-Za-z_][A-Za-z0-9_]*):(.*)$")]
    private static partial Regex TopLevelKey();

    [GeneratedRegex(@"^(\s*)([A-Za-z_][A-Za-z0-9_]*):(.*)$")]
    private static partial Regex MappingEntry();
}
