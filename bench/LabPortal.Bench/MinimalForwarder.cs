using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Bench;

/// <summary>
/// A diagnostic, not a goal: the smallest round-robin reverse proxy ASP.NET Core and
/// <see cref="SocketsHttpHandler"/> make, in this process like the sandbox's data plane. It shows how
/// much of the load balancer's cost is the in-process .NET HTTP hop itself rather than the sandbox's code.
/// </summary>
internal sealed class MinimalForwarder : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Host",
    };

    private readonly WebApplication _app;
    private readonly HttpMessageInvoker _client;

    private MinimalForwarder(WebApplication app, HttpMessageInvoker client, Uri url)
    {
        _app = app;
        _client = client;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<MinimalForwarder> StartAsync(IReadOnlyList<Uri> upstreams)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(o =>
        {
            o.AddServerHeader = false;
            o.Listen(IPAddress.Loopback, 0);
        });
        var app = builder.Build();
        var client = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            ActivityHeadersPropagator = null,
        });
        var next = -1;
        app.Run(async context =>
        {
            var upstream = upstreams[(int)((uint)Interlocked.Increment(ref next) % (uint)upstreams.Count)];
            using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(upstream, context.Request.Path.Value + context.Request.QueryString));
            foreach (var header in context.Request.Headers)
            {
                if (!HopByHop.Contains(header.Key))
                {
                    request.Headers.TryAddWithoutValidation(header.Key, (IEnumerable<string?>)header.Value);
                }
            }

            using var response = await client.SendAsync(request, context.RequestAborted);
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var header in response.Headers.Concat(response.Content.Headers))
            {
                if (!HopByHop.Contains(header.Key))
                {
                    context.Response.Headers[header.Key] = header.Value.ToArray();
                }
            }

            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.First()
            ?? throw new InvalidOperationException("Kestrel reported no address.");
        return new MinimalForwarder(app, client, new Uri(address.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _client.Dispose();
    }
}
