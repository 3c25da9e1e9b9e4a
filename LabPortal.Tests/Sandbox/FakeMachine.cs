using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using LabPortal.Sandbox.Runtime;
using LabPortal.Sandbox.Runtime.Guest;

namespace LabPortal.Tests.Sandbox;

/// <summary>An <see cref="IMachine"/> that serves "hello from &lt;instance id&gt;" on a real loopback port once nginx is "installed".</summary>
internal sealed class FakeMachine(InstanceMetadata metadata, MachineState? restored) : IMachine
{
    private readonly List<string> _console = [];
    private HttpListener? _listener;
    private Uri? _endpoint;
    // Every boot starts the services enabled with systemctl enable again (IMachine.BootAsync), also after a stop.
    private bool _nginx = restored?.RunningServices.Contains("nginx") == true || restored?.EnabledServices.Contains("nginx") == true;

    public InstanceMetadata Metadata { get; } = metadata;

    public MachineState? Restored { get; } = restored;

    public ConcurrentQueue<string> Calls { get; } = new();

    public string ConsoleOutput => string.Join('\n', _console);

    public Task BootAsync(string? userData, bool firstBoot, CancellationToken cancellationToken = default)
    {
        Calls.Enqueue($"boot firstBoot={firstBoot}");
        if (firstBoot && userData?.Contains("nginx", StringComparison.Ordinal) == true)
        {
            _nginx = true;
        }

        _console.Add($"booted {Metadata.InstanceId} firstBoot={firstBoot}");
        if (_nginx)
        {
            StartServer();
        }

        return Task.CompletedTask;
    }

    public Task ShutdownAsync(CancellationToken cancellationToken = default)
    {
        Calls.Enqueue("shutdown");
        StopServer();
        return Task.CompletedTask;
    }

    public Task<ScriptResult> RunScriptAsync(string script, CancellationToken cancellationToken = default) =>
        Task.FromResult(new ScriptResult(0, string.Empty, string.Empty));

    public Uri? GetHttpEndpoint(int port) => port == 80 ? EndpointOverride ?? _endpoint : null;

    /// <summary>When set, port 80 is served by this address instead (a test's own server, e.g. one that answers garbage).</summary>
    public Uri? EndpointOverride { get; set; }

    /// <summary>The status the web server answers with (404 makes ELB health checks fail with ResponseCodeMismatch).</summary>
    public int StatusCode { get; set; } = 200;

    /// <summary>When set, the web server accepts requests but never answers them (health-check and proxy timeouts).</summary>
    public bool Hang { get; set; }

    /// <summary>Headers of the requests the web server received, most recent last.</summary>
    public ConcurrentQueue<IReadOnlyDictionary<string, string>> RequestHeaders { get; } = new();

    /// <summary>Stops the web server as <c>systemctl stop nginx</c> would (SSM is not on this branch).</summary>
    public void StopWebServer() => StopServer();

    /// <summary>Starts the web server again on a new loopback port.</summary>
    public void StartWebServer()
    {
        if (_listener is null)
        {
            StartServer();
        }
    }

    public MachineState Snapshot() => new(
        new Dictionary<string, string>(),
        _nginx ? ["nginx"] : [],
        _nginx ? ["nginx"] : [],
        _nginx && _endpoint is not null ? ["nginx"] : [],
        ConsoleOutput);

    public ValueTask DisposeAsync()
    {
        Calls.Enqueue("dispose");
        StopServer();
        return ValueTask.CompletedTask;
    }

    private void StartServer()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _listener = new HttpListener();
        // The data plane forwards the browser's Host header, as a load balancer does: accept any host.
        _listener.Prefixes.Add($"http://*:{port}/");
        _listener.Start();
        _endpoint = new Uri($"http://127.0.0.1:{port}/");
        var listener = _listener;
        _ = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                if (!context.Request.Headers.AllKeys.Contains("User-Agent") || context.Request.Headers["User-Agent"]?.StartsWith("ELB-HealthChecker", StringComparison.Ordinal) != true)
                {
                    RequestHeaders.Enqueue(context.Request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => context.Request.Headers[k] ?? string.Empty, StringComparer.OrdinalIgnoreCase));
                }

                if (Hang)
                {
                    // Never answered; the listener's shutdown releases it.
                    continue;
                }

                var body = Encoding.UTF8.GetBytes($"hello from {Metadata.InstanceId}");
                context.Response.StatusCode = StatusCode;
                context.Response.ContentType = "text/html";
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
        });
    }

    private void StopServer()
    {
        _endpoint = null;
        if (_listener is { } listener)
        {
            _listener = null;
            listener.Stop();
            listener.Close();
        }
    }
}
