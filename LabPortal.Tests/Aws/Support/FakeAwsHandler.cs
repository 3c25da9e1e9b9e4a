using System.Net;
using System.Text;

namespace LabPortal.Tests.Aws.Support;

/// <summary>An in-process AWS endpoint: records every request and answers with a scripted reply.</summary>
public sealed class FakeAwsHandler(Func<FakeAwsHandler.Seen, FakeAwsHandler.Reply> respond) : HttpMessageHandler
{
    private readonly Lock _lock = new();
    private readonly List<Seen> _requests = [];

    public IReadOnlyList<Seen> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
            .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        var seen = new Seen(request.RequestUri!, headers, body);
        lock (_lock)
        {
            _requests.Add(seen);
        }

        var reply = respond(seen);
        var response = new HttpResponseMessage(reply.Status) { Content = new StringContent(reply.Body, Encoding.UTF8, reply.ContentType) };
        if (reply.RequestId is not null)
        {
            // AWS sends the request id in this header as well as in the body; AWSSDK.Core prefers the header.
            response.Headers.Add("x-amzn-RequestId", reply.RequestId);
        }

        return response;
    }

    public sealed record Seen(Uri Uri, IReadOnlyDictionary<string, string> Headers, string Body)
    {
        public string Action => Form.TryGetValue("Action", out var a) ? a
            : Headers.TryGetValue("X-Amz-Target", out var t) ? t[(t.IndexOf('.', StringComparison.Ordinal) + 1)..] : string.Empty;

        public IReadOnlyDictionary<string, string> Form => Body.StartsWith('{') || Body.Length == 0
            ? new Dictionary<string, string>()
            : Body.Split('&').Select(p => p.Split('=', 2))
                .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p.Length > 1 ? p[1] : string.Empty));
    }

    public sealed record Reply(HttpStatusCode Status, string Body, string ContentType = "text/xml", string? RequestId = null);
}
