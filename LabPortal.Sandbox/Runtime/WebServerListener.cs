using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WebResponse = LabPortal.Sandbox.Runtime.Guest.WebResponse;

namespace LabPortal.Sandbox.Runtime;

/// <summary>
/// One web server's real HTTP listener on a loopback ephemeral port: a bare Kestrel server with
/// no host, no DI container of its own and no middleware. Measured at about 110 KiB and 2.5 ms per
/// listener (plus Kestrel's one heartbeat thread), which a class of 60+ instances affords.
/// </summary>
internal sealed class WebServerListener : IAsyncDisposable
{
    // Kestrel wants an application service provider; nothing is resolved from it here.
    private static readonly IServiceProvider EmptyServices = new ServiceCollection().BuildServiceProvider();

    // systemctl stop nginx is a graceful stop: requests in flight finish, then connections close.
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(1);

    private readonly KestrelServer _server;
    private int _disposed;

    private WebServerListener(KestrelServer server, Uri endpoint, Func<string, string, WebResponse> respond)
    {
        _server = server;
        Endpoint = endpoint;
        Respond = respond;
    }

    public Uri Endpoint { get; }

    /// <summary>What the server answers to a method and request target (the listener's own handler).</summary>
    public Func<string, string, WebResponse> Respond { get; }

    public static async Task<WebServerListener> StartAsync(
        Func<string, string, WebResponse> respond, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var options = new KestrelServerOptions { AddServerHeader = false, ApplicationServices = EmptyServices };
        options.Listen(IPAddress.Loopback, 0);
        var transport = new SocketTransportFactory(Options.Create(new SocketTransportOptions()), loggerFactory);
        var server = new KestrelServer(Options.Create(options), transport, loggerFactory);
        try
        {
            await server.StartAsync(new Application(respond), cancellationToken);
            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                ?? throw new InvalidOperationException("Kestrel reported no listening address.");
            return new WebServerListener(server, new Uri(address.TrimEnd('/') + "/"), respond);
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        using var grace = new CancellationTokenSource(StopGrace);
        try
        {
            await _server.StopAsync(grace.Token);
        }
        finally
        {
            _server.Dispose();
        }
    }

    private sealed class Application(Func<string, string, WebResponse> respond) : IHttpApplication<HttpContext>
    {
        public HttpContext CreateContext(IFeatureCollection contextFeatures) => new DefaultHttpContext(contextFeatures);

        public void DisposeContext(HttpContext context, Exception? exception)
        {
        }

        public Task ProcessRequestAsync(HttpContext context) => WriteAsync(context, respond);
    }

    /// <summary>Answers one request with the web server's <paramref name="respond"/> function (listener and in-process alike).</summary>
    public static async Task WriteAsync(HttpContext context, Func<string, string, WebResponse> respond)
    {
        var request = context.Request;
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw
            ? raw
            : request.Path.ToUriComponent() + request.QueryString.ToUriComponent();
        var page = respond(request.Method, target);
        var response = context.Response;
        response.StatusCode = page.StatusCode;
        response.Headers.Server = page.Server;
        response.ContentType = page.ContentType;
        if (page.Location is not null)
        {
            response.Headers.Location = page.Location;
        }

        var body = Encoding.UTF8.GetBytes(page.Body);
        response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(request.Method))
        {
            try
            {
                await response.Body.WriteAsync(body, context.RequestAborted);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The client went away (or the server is stopping): nothing is left to answer.
            }
        }
    }
}
