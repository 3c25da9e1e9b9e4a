using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LabPortal.Sandbox.DataPlane;

/// <summary>
/// Forwards one data-plane request over real HTTP to a machine's web server (YARP does not restore
/// here, PACKAGES.md). Connection refused answers 502, a timeout 504, as a load balancer or proxy
/// does. ELBv2's handlers reuse it to forward to the chosen target.
/// </summary>
public sealed class HttpForwarder : IDisposable
{
    /// <summary>Per-request limit for the upstream answer (ALB's default idle timeout is 60 s; a lab page needs far less).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Host",
    };

    private readonly HttpMessageInvoker _client;
    private readonly ILogger<HttpForwarder> _logger;

    public HttpForwarder(ILogger<HttpForwarder> logger)
    {
        _logger = logger;
        _client = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        });
    }

    /// <summary>
    /// Sends the request of <paramref name="context"/> to <paramref name="target"/> (scheme, host and
    /// port; path and query come from the request) and copies the answer back. A caller that writes
    /// its own error pages (ELBv2's ALB-shaped 502/504) passes <paramref name="writeError"/>, which
    /// gets the status code instead of the default plain-text answer.
    /// </summary>
    public async Task ForwardAsync(
        HttpContext context,
        Uri target,
        TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string>? extraHeaders = null,
        Func<HttpResponse, int, Task>? writeError = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(target);
        var request = context.Request;
        var uri = new Uri(target, request.PathBase + request.Path + request.QueryString);
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), uri);
        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            message.Content = new StreamContent(request.Body);
        }

        foreach (var header in request.Headers)
        {
            if (HopByHop.Contains(header.Key))
            {
                continue;
            }

            if (!message.Headers.TryAddWithoutValidation(header.Key, (IEnumerable<string?>)header.Value))
            {
                message.Content?.Headers.TryAddWithoutValidation(header.Key, (IEnumerable<string?>)header.Value);
            }
        }

        message.Headers.Host = request.Host.Value;
        if (extraHeaders is not null)
        {
            foreach (var (name, value) in extraHeaders)
            {
                message.Headers.Remove(name);
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeoutSource.CancelAfter(timeout ?? DefaultTimeout);
        HttpResponseMessage response;
        try
        {
            response = await _client.SendAsync(message, timeoutSource.Token);
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            if (writeError is not null)
            {
                await writeError(context.Response, StatusCodes.Status504GatewayTimeout);
                return;
            }

            await WriteTextAsync(context.Response, StatusCodes.Status504GatewayTimeout, "504 Gateway Time-out: the instance did not answer in time.");
            return;
        }
        catch (HttpRequestException ex)
        {
            var refused = ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused };
            _logger.LogDebug(ex, "Data plane forward to {Target} failed", target);
            if (writeError is not null)
            {
                await writeError(context.Response, StatusCodes.Status502BadGateway);
                return;
            }

            await WriteTextAsync(
                context.Response,
                StatusCodes.Status502BadGateway,
                refused ? "502 Bad Gateway: connection refused (no web server listens on port 80)." : "502 Bad Gateway: the upstream connection failed.");
            return;
        }

        using (response)
        {
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var header in response.Headers.Concat(response.Content.Headers))
            {
                if (!HopByHop.Contains(header.Key))
                {
                    context.Response.Headers[header.Key] = header.Value.ToArray();
                }
            }

            await using var body = await response.Content.ReadAsStreamAsync(context.RequestAborted);
            await body.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
    }

    /// <summary>A short plain-text answer, as the front gives for unknown hosts and failed forwards.</summary>
    public static async Task WriteTextAsync(HttpResponse response, int statusCode, string text)
    {
        if (response.HasStarted)
        {
            return;
        }

        response.StatusCode = statusCode;
        response.ContentType = "text/plain; charset=utf-8";
        await response.WriteAsync(text + "\n");
    }

    public void Dispose() => _client.Dispose();
}
