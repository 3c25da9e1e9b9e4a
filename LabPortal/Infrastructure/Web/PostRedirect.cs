namespace LabPortal.Infrastructure.Web;

/// <summary>
/// Post/redirect/get: a form post answers with a redirect to the page that shows its outcome, so a
/// reload does not post again. Only for paths the portal builds itself; a URL a request brought goes
/// through <see cref="LocalUrl"/> first.
/// </summary>
public static class PostRedirect
{
    /// <summary>A 302 to <paramref name="localPath"/> (a path on this site, with its query).</summary>
    public static IResult To(string localPath) => Results.Redirect(localPath);
}
