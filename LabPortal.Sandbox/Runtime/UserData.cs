using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace LabPortal.Sandbox.Runtime;

/// <summary>How cloud-init treats a user data blob.</summary>
internal enum UserDataKind
{
    None,
    ShellScript,
    CloudConfig,
    Unsupported,
    NotMultipart,
}

/// <summary>
/// Classifies user data as cloud-init does: a "#!" script runs once on the first boot; text with
/// no recognised header is "Unhandled non-multipart (text/x-not-multipart) userdata" and does not
/// run at all (the classic missing "#!/bin/bash"). Base64 or gzip blobs are unwrapped defensively.
/// </summary>
internal static partial class UserData
{
    public static (UserDataKind Kind, string Text) Classify(string? userData)
    {
        if (string.IsNullOrWhiteSpace(userData))
        {
            return (UserDataKind.None, "");
        }

        var text = Unwrap(userData);
        var trimmed = text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        if (trimmed.StartsWith("#!", StringComparison.Ordinal))
        {
            var firstLine = trimmed.Split('\n', 2)[0].TrimEnd('\r');
            return ShellInterpreters().IsMatch(firstLine) ? (UserDataKind.ShellScript, trimmed) : (UserDataKind.Unsupported, firstLine);
        }

        if (trimmed.StartsWith("#cloud-config", StringComparison.Ordinal))
        {
            return (UserDataKind.CloudConfig, trimmed);
        }

        foreach (var header in new[] { "#include", "#cloud-boothook", "#upstart-job", "#part-handler", "Content-Type:", "MIME-Version:" })
        {
            if (trimmed.StartsWith(header, StringComparison.OrdinalIgnoreCase))
            {
                return (UserDataKind.Unsupported, header);
            }
        }

        return (UserDataKind.NotMultipart, trimmed);
    }

    private static string Unwrap(string userData)
    {
        var compact = userData.Trim();
        if (compact.Length < 8 || !Base64Text().IsMatch(compact))
        {
            return userData;
        }

        try
        {
            var bytes = Convert.FromBase64String(Whitespace().Replace(compact, ""));
            if (bytes.Length > 2 && bytes[0] == 0x1f && bytes[1] == 0x8b)
            {
                using var input = new MemoryStream(bytes);
                using var gzip = new GZipStream(input, CompressionMode.Decompress);
                using var reader = new StreamReader(gzip, new UTF8Encoding(false, true));
                return reader.ReadToEnd();
            }

            var decoded = new UTF8Encoding(false, true).GetString(bytes);
            // Only take the decoding when it reads as a script or text with lines, not as noise.
            return decoded.TrimStart().StartsWith('#') || decoded.Contains('\n', StringComparison.Ordinal) ? decoded : userData;
        }
        catch (FormatException)
        {
            return userData;
        }
        catch (InvalidDataException)
        {
            return userData;
        }
        catch (DecoderFallbackException)
        {
            return userData;
        }
    }

    [GeneratedRegex(@"^#!\s*(/usr)?/bin/(env\s+)?(ba)?sh\b")]
    private static partial Regex ShellInterpreters();

    [GeneratedRegex(@"^[A-Za-z0-9+/=\s]+$")]
    private static partial Regex Base64Text();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
