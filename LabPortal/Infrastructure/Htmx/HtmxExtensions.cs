namespace LabPortal.Infrastructure.Htmx;

public static class HtmxExtensions
{
    /// <summary>True for a request htmx made (it sends <c>HX-Request: true</c>).</summary>
    public static bool IsHtmx(this HttpRequest request) =>
        string.Equals(request.Headers["HX-Request"], "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Marks a response that differs for htmx and plain requests, so caches keep both.</summary>
    public static void VaryOnHtmx(this HttpResponse response) => response.Headers.Append("Vary", "HX-Request");
}
