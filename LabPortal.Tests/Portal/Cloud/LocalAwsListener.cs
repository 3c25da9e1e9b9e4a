using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LabPortal.Tests.Portal.Cloud;

/// <summary>
/// A real HTTP endpoint on a free loopback port (<see cref="HttpListener"/>) that answers each request
/// with a scripted status and XML body, and records the form bodies and headers it received.
/// </summary>
public sealed class LocalAwsListener : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<int, string, (HttpStatusCode Status, string Body)> _answer;
    private readonly List<(string Body, string? Authorization)> _seen = [];
    private readonly Task _loop;

    public LocalAwsListener(Func<int, string, (HttpStatusCode Status, string Body)> answer)
    {
        _answer = answer;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(Url.ToString());
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public Uri Url { get; }

    public IReadOnlyList<(string Body, string? Authorization)> Seen
    {
        get
        {
            lock (_seen)
            {
                return [.. _seen];
            }
        }
    }

    public void Dispose()
    {
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends with the listener's disposal exception; nothing to report.
        }
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            int n;
            lock (_seen)
            {
                _seen.Add((body, context.Request.Headers["Authorization"]));
                n = _seen.Count;
            }

            var (status, xml) = _answer(n, body);
            var bytes = Encoding.UTF8.GetBytes(xml);
            context.Response.StatusCode = (int)status;
            context.Response.ContentType = "text/xml";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }
}
