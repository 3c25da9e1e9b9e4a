using System.Text;
using LabPortal.Sandbox.Runtime.Guest;
using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary>The input of a text filter: standard input, or the named files concatenated.</summary>
internal static class TextInput
{
    /// <summary>Standard input, or the named files concatenated (null and an error printed when one is missing).</summary>
    public static string? Read(GuestOperatingSystem os, List<string> files, CommandIo io, ShellSession session, string tool)
    {
        if (files.Count == 0)
        {
            return io.StandardInput;
        }

        var builder = new StringBuilder();
        foreach (var file in files)
        {
            if (os.Files.ReadFile(GuestFileSystem.Combine(session.WorkingDirectory, file)) is not { } content)
            {
                io.ErrorLine($"{tool}: {file}: No such file or directory");
                return null;
            }

            builder.Append(content);
        }

        return builder.ToString();
    }

    public static string[] Lines(string text) =>
        text.Length == 0 ? [] : text.TrimEnd('\n').Split('\n');
}
