using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LabPortal.Tests.Aws.Contract.Moto;

/// <summary>
/// Starts <c>python3 -m moto.server</c> on a free loopback port, waits until it answers, and kills
/// it on dispose. A missing moto is a failure, never a skip (STYLE.md); outside CI, leave the lane
/// out with <c>--filter "Category!=Moto"</c>.
/// </summary>
public sealed class MotoServerFixture : IAwsTestServer, IAsyncLifetime
{
    private Process? _process;

    public string Name => "moto";

    public Uri Endpoint { get; private set; } = new("http://127.0.0.1:0/");

    // moto 5 accepts any credentials; it keeps every key's resources in account 123456789012.
    public string AccessKey => "AKIDMOTOCONTRACT";

    public string SecretKey => "moto-contract-secret";

    public string Region => "ap-northeast-2";

    public async Task InitializeAsync()
    {
        var port = FreePort();
        Endpoint = new Uri($"http://127.0.0.1:{port}/");
        var python = Environment.GetEnvironmentVariable("LABPORTAL_PYTHON") ?? "python3";
        var start = new ProcessStartInfo(python)
        {
            ArgumentList = { "-m", "moto.server", "-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var errors = new System.Text.StringBuilder();
        try
        {
            _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {python}.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"moto lane: '{python}' is not installed ({ex.Message}). Install Python 3 with moto[server] 5.2.1.", ex);
        }

        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                errors.AppendLine(e.Data);
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                string log;
                lock (errors)
                {
                    log = errors.ToString();
                }

                throw new InvalidOperationException($"moto lane: moto.server exited with {_process.ExitCode} (is moto[server] installed?)\n{log}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(Endpoint, "moto-api/"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Starting slowly on a busy machine.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"moto lane: moto.server did not answer on {Endpoint} within 60 s.");
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process?.Dispose();
        return Task.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
