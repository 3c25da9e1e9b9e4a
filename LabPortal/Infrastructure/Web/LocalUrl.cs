namespace LabPortal.Infrastructure.Web;

/// <summary>
/// The one rule for following a URL a request brought (a <c>returnUrl</c> field or query): only a path on
/// this site. Browsers strip tabs and newlines from a URL and treat a backslash as a slash, so
/// <c>/\t/evil.example/</c> and <c>/\evil.example</c> leave the site although they start with one slash;
/// anything with a control character or a backslash, raw or percent-encoded, is therefore refused.
/// </summary>
public static class LocalUrl
{
    /// <summary><paramref name="url"/> when it is a safe local path, otherwise <c>/</c>.</summary>
    public static string OrRoot(string? url) => IsSafe(url) ? url! : "/";

    public static bool IsSafe(string? url)
    {
        if (url is not { Length: > 0 } || url[0] != '/' || (url.Length > 1 && url[1] == '/'))
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = Uri.UnescapeDataString(url);
        }
        catch (UriFormatException)
        {
            return false;
        }

        return !HasForbidden(url) && !HasForbidden(decoded) && !(decoded.Length > 1 && decoded[1] == '/');
    }

    private static bool HasForbidden(string text) => text.Any(c => c == '\\' || char.IsControl(c));
}
