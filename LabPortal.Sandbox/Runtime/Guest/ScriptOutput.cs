using System.Text;

namespace LabPortal.Sandbox.Runtime.Guest;

/// <summary>
/// Where a script's output goes: standard output and error (what SSM returns) and the combined
/// transcript with the sandbox's own annotations (what the console output shows).
/// </summary>
internal sealed class ScriptOutput
{
    // SSM's GetCommandInvocation truncates output at 24,000 characters; the sandbox keeps a bit
    // more and lets the control plane apply the API's limit.
    private const int MaxChars = 256 * 1024;

    private readonly StringBuilder _standardOutput = new();
    private readonly StringBuilder _standardError = new();
    private readonly StringBuilder _transcript = new();

    public string StandardOutput => _standardOutput.ToString();

    public string StandardError => _standardError.ToString();

    public string Transcript => _transcript.ToString();

    public void WriteOut(string text)
    {
        Append(_standardOutput, text);
        Append(_transcript, text);
    }

    public void WriteError(string text)
    {
        Append(_standardError, text);
        Append(_transcript, text);
    }

    /// <summary>A sandbox remark (an ignored command, a hint): on standard error, so SSM shows it too.</summary>
    public void Note(string text) => WriteError("[sandbox] " + text + "\n");

    /// <summary>The command about to run; only in the transcript, as a console reader wants to see it.</summary>
    public void Trace(string command) => Append(_transcript, "[sandbox] $ " + command + "\n");

    private static void Append(StringBuilder builder, string text)
    {
        if (builder.Length + text.Length <= MaxChars)
        {
            builder.Append(text);
        }
    }
}
