using System.Globalization;
using System.Text;
using LabPortal.Sandbox.Runtime.Guest;
using LabPortal.Sandbox.Runtime.Shell;
using LabPortal.Sandbox.Runtime.Shell.Session;
using Microsoft.Extensions.Logging;

namespace LabPortal.Sandbox.Runtime;

/// <summary>
/// One sandbox instance's OS. Lifecycle calls and scripts are serialized by a gate; the web
/// server's listener is swapped under that gate and read lock-free, so HTTP traffic never waits
/// for a script. Scripts change <see cref="GuestOperatingSystem"/>; afterwards the listener is
/// reconciled with the running web server (started, stopped, or left alone).
/// </summary>
internal sealed class SandboxMachine : IMachine
{
    private const string CloudInitVersion = "22.2.2";
    private const string Kernel = "6.1.0-sandbox.amzn2023.x86_64";

    private readonly GuestOperatingSystem _os = new();
    private readonly ShellInterpreter _interpreter;
    private readonly ConsoleLog _console;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    // Listeners by instance port, each with the key of what it serves ("unit:nginx",
    // "python:/srv"). Changed only under the gate; _endpoints is the lock-free published view.
    private readonly Dictionary<int, (string Key, WebServerListener Listener)> _listeners = [];
    private volatile IReadOnlyDictionary<int, Uri> _endpoints = new Dictionary<int, Uri>();

    // The listening servers' handlers, published with _endpoints, for in-process traffic (TryServeAsync).
    private volatile Dictionary<int, Func<string, string, WebResponse>> _responders = [];
    private string? _userData;
    private bool _booted;
    private bool _disposed;
    private long _bootTimestamp;

    public SandboxMachine(InstanceMetadata metadata, MachineState? restored, ILoggerFactory loggerFactory, TimeProvider timeProvider)
    {
        Metadata = metadata;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<SandboxMachine>();
        _timeProvider = timeProvider;
        _console = new ConsoleLog(restored?.ConsoleOutput ?? "");
        if (restored is not null)
        {
            _os.Restore(restored);
        }

        _interpreter = new ShellInterpreter(_os, new InstanceMetadataService(metadata, timeProvider, () => _userData), timeProvider);
    }

    public InstanceMetadata Metadata { get; }

    public string ConsoleOutput => _console.Text;

    public async Task BootAsync(string? userData, bool firstBoot, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_booted)
            {
                return;
            }

            _userData = userData ?? _userData;
            _bootTimestamp = _timeProvider.GetTimestamp();
            var log = new StringBuilder();
            log.Append(CultureInfo.InvariantCulture, $"[    0.000000] Linux version {Kernel} (sandbox) #1 SMP\n");
            log.Append("[    0.000000] Command line: BOOT_IMAGE=(hd0,gpt1)/boot/vmlinuz root=/dev/nvme0n1p1 console=ttyS0,115200n8\n");

            // systemd starts the enabled units (and, after a restore, the ones that were running)
            // in multi-user.target, before cloud-init's final stage runs user data.
            foreach (var unit in _os.EnabledServices.Union(_os.RunningServices).Order(StringComparer.Ordinal))
            {
                if (!_os.HasUnit(unit))
                {
                    continue;
                }

                var holder = _os.Start(unit);
                log.Append(holder is null
                    ? $"[  OK  ] Started {unit}.service.\n"
                    : $"[FAILED] Failed to start {unit}.service (port 80 is in use by {holder}).\n");
            }

            log.Append(CultureInfo.InvariantCulture, $"Cloud-init v. {CloudInitVersion} running 'init' at {Now()}. Up {Uptime(4.1)} seconds.\n");
            log.Append("ci-info: ++++++++++++++++++++++++++++++++++++++Net device info++++++++++++++++++++++++++++++++++++++\n");
            log.Append(CultureInfo.InvariantCulture, $"ci-info: | ens5 | True | {Metadata.LocalIpv4} | 255.255.240.0 | global |\n");
            log.Append(CultureInfo.InvariantCulture, $"Cloud-init v. {CloudInitVersion} running 'modules:final' at {Now()}. Up {Uptime(8.3)} seconds.\n");
            _console.Append(log.ToString());

            if (firstBoot)
            {
                RunUserData(userData);
            }

            _console.Append(
                $"Cloud-init v. {CloudInitVersion} finished at {Now()}. Datasource DataSourceEc2.  Up {Uptime(9.2)} seconds\n\n" +
                $"Amazon Linux 2023\nKernel {Kernel} on an x86_64\n\n{Metadata.LocalHostname.Split('.')[0]} login: ");
            _booted = true;
            await ReconcileListenersAsync(cancellationToken);
            _logger.LogInformation("Instance {InstanceId} booted (first boot: {FirstBoot}); listening ports: {Ports}",
                Metadata.InstanceId, firstBoot, string.Join(',', _endpoints.Keys));
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task ShutdownAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_disposed || !_booted)
            {
                return;
            }

            var log = new StringBuilder();
            foreach (var unit in _os.RunningServices)
            {
                log.Append(CultureInfo.InvariantCulture, $"         Stopping {unit}.service...\n[  OK  ] Stopped {unit}.service.\n");
            }

            log.Append("[  OK  ] Reached target shutdown.target - System Shutdown.\nreboot: Power down\n");
            _console.Append(log.ToString());
            _os.StopAll();
            _booted = false;
            await ReconcileListenersAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<ScriptResult> RunScriptAsync(string script, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_booted)
            {
                // The SSM Agent runs inside the instance: no boot, no agent, nothing runs.
                return new ScriptResult(1, "", "[sandbox] the instance is not running, so its SSM Agent cannot run the script.\n");
            }

            var output = new ScriptOutput();
            var session = new ShellSession(Metadata, output);
            var status = _interpreter.Run(script ?? "", session);
            await ReconcileListenersAsync(cancellationToken);
            _logger.LogDebug("Instance {InstanceId} ran an SSM script: exit {ExitCode}", Metadata.InstanceId, status);
            return new ScriptResult(status, output.StandardOutput, output.StandardError);
        }
        finally
        {
            _gate.Release();
        }
    }

    public Uri? GetHttpEndpoint(int port) => _endpoints.GetValueOrDefault(port);

    public async Task<bool> TryServeAsync(int port, Microsoft.AspNetCore.Http.HttpContext context)
    {
        if (!_responders.TryGetValue(port, out var respond))
        {
            return false;
        }

        await WebServerListener.WriteAsync(context, respond);
        return true;
    }

    public MachineState Snapshot() => new(
        _os.Files.SnapshotFiles(),
        _os.InstalledPackages,
        _os.EnabledServices,
        _os.RunningServices,
        _console.Text);

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _booted = false;
            await ReconcileListenersAsync(CancellationToken.None);
        }
        finally
        {
            _gate.Release();
        }
    }

    private void RunUserData(string? userData)
    {
        var (kind, text) = UserData.Classify(userData);
        switch (kind)
        {
            case UserDataKind.None:
                return;
            case UserDataKind.NotMultipart:
                var preview = text.Length > 60 ? text[..60] + "..." : text;
                _console.Append(
                    $"{Stamp()} - __init__.py[WARNING]: Unhandled non-multipart (text/x-not-multipart) userdata: 'b'{preview.Replace("\n", "\\n", StringComparison.Ordinal)}''\n" +
                    "[sandbox] user data did not run: cloud-init runs it as a script only when its first line is \"#!/bin/bash\".\n");
                return;
            case UserDataKind.Unsupported:
                _console.Append($"[sandbox] ignored (not supported in the sandbox): user data of type {text}\n");
                return;
            case UserDataKind.CloudConfig:
                RunCloudConfig(CloudConfig.Parse(text));
                return;
            default:
                break;
        }

        RunShellUserData(text);
    }

    private void RunShellUserData(string text)
    {
        // cloud-init writes the script to /var/lib/cloud/instance/scripts/part-001 and runs it as root from /.
        _os.Files.CreateDirectory("/var/lib/cloud/instance/scripts", parents: true);
        _os.Files.WriteFile("/var/lib/cloud/instance/scripts/part-001", text, append: false);
        var output = new ScriptOutput();
        var session = new ShellSession(Metadata, output);
        // "#!/bin/bash -xe": options on the interpreter line apply to the whole script.
        var interpreterLine = text.Split('\n', 2)[0];
        foreach (var option in interpreterLine.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Where(o => o.StartsWith('-')))
        {
            session.ErrExit |= option.Contains('e', StringComparison.Ordinal);
            session.XTrace |= option.Contains('x', StringComparison.Ordinal);
        }

        var status = _interpreter.Run(text, session);
        _console.Append(output.Transcript);
        if (status != 0)
        {
            _console.Append(
                $"{Stamp()} - util.py[WARNING]: Failed running /var/lib/cloud/instance/scripts/part-001 [{status}]\n" +
                $"{Stamp()} - cc_scripts_user.py[WARNING]: Failed to run module scripts-user (scripts in /var/lib/cloud/instance/scripts)\n");
        }

        _logger.LogInformation("Instance {InstanceId} ran its user data: exit {ExitCode}", Metadata.InstanceId, status);
    }

    private void RunCloudConfig(CloudConfig config)
    {
        foreach (var key in config.IgnoredKeys)
        {
            _console.Append($"[sandbox] ignored (not supported in the sandbox): cloud-config key '{key}'\n");
        }

        foreach (var file in config.WriteFiles)
        {
            var path = GuestFileSystem.Combine("/", file.Path);
            // cloud-init's write_files creates missing parent directories.
            _os.Files.CreateDirectory(GuestFileSystem.ParentOf(path), parents: true);
            var error = _os.Files.WriteFile(path, file.Content, file.Append);
            _console.Append(error is null ? $"[sandbox] write_files: {path}\n" : $"[sandbox] write_files: {path}: {error}\n");
        }

        // cloud-init installs packages non-interactively, then hands runcmd to the final stage as a script.
        var script = new StringBuilder("#!/bin/sh\n");
        if (config.PackageUpdate)
        {
            script.Append("yum update -y\n");
        }

        if (config.Packages.Count > 0)
        {
            script.Append("yum install -y ").AppendJoin(' ', config.Packages).Append('\n');
        }

        foreach (var command in config.RunCommands)
        {
            script.Append(command).Append('\n');
        }

        RunShellUserData(script.ToString());
    }

    /// <summary>
    /// Makes the listeners match what runs: one for the web server unit on port 80, one per
    /// background server; a listener whose server stopped (or changed) is closed first.
    /// </summary>
    private async Task ReconcileListenersAsync(CancellationToken cancellationToken)
    {
        var desired = new Dictionary<int, (string Key, Func<string, string, WebResponse> Respond, Action Fail)>();
        if (_booted && !_disposed)
        {
            if (_os.RunningWebServer is { } unit)
            {
                desired[80] = ("unit:" + unit, (method, target) => StaticSite.Respond(_os, unit, method, target), () => _os.Stop(unit));
            }

            foreach (var server in _os.BackgroundServers)
            {
                desired[server.Port] = ("python:" + server.Directory,
                    (method, target) => StaticSite.RespondDirectory(_os, server.Directory, method, target),
                    () => _os.KillBackgroundServers());
            }
        }

        var stale = _listeners.Where(l => !desired.TryGetValue(l.Key, out var want) || want.Key != l.Value.Key).Select(l => l.Key).ToList();
        foreach (var port in stale)
        {
            var listener = _listeners[port].Listener;
            _listeners.Remove(port);
            Publish();
            await listener.DisposeAsync();
        }

        foreach (var (port, (key, respond, fail)) in desired.Where(d => !_listeners.ContainsKey(d.Key)))
        {
            try
            {
                _listeners[port] = (key, await WebServerListener.StartAsync(respond, _loggerFactory, cancellationToken));
            }
            catch (Exception exception) when (exception is IOException or InvalidOperationException or System.Net.Sockets.SocketException)
            {
                // The host could not open a port: the server fails as a real one would.
                fail();
                _console.Append($"[FAILED] {key} could not listen: {exception.Message}\n");
                _logger.LogWarning(exception, "Instance {InstanceId}: {Server} could not listen", Metadata.InstanceId, key);
            }
        }

        Publish();
    }

    private void Publish()
    {
        _responders = _listeners.ToDictionary(l => l.Key, l => l.Value.Listener.Respond);
        _endpoints = _listeners.ToDictionary(l => l.Key, l => l.Value.Listener.Endpoint);
    }

    private string Now() => _timeProvider.GetUtcNow().ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);

    private string Stamp() => _timeProvider.GetUtcNow().ToString("yyyy-MM-dd HH:mm:ss,fff", CultureInfo.InvariantCulture);

    private string Uptime(double offset) =>
        (offset + _timeProvider.GetElapsedTime(_bootTimestamp).TotalSeconds).ToString("0.00", CultureInfo.InvariantCulture);
}
