using LabPortal.Sandbox.Runtime.Guest;
using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary>systemctl with systemd's messages and exit codes (5: unit not found or not loaded, 4: status of an unknown unit, 3: status of an inactive unit).</summary>
internal sealed class SystemctlCommand(GuestOperatingSystem os) : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = ["systemctl"];

    public int Run(CommandContext context, List<string> arguments)
        => Systemctl(arguments, context.Io);

    internal int Systemctl(List<string> arguments, CommandIo io)
    {
        var now = arguments.Contains("--now");
        var quiet = arguments.Contains("--quiet") || arguments.Contains("-q");
        var operands = arguments.Where(a => !a.StartsWith('-')).ToList();
        if (operands.Count == 0)
        {
            return io.Ignored("systemctl " + string.Join(' ', arguments));
        }

        var verb = operands[0];
        var units = operands.Skip(1).ToList();
        if (verb is "daemon-reload" or "daemon-reexec" or "reset-failed")
        {
            return 0;
        }

        if (units.Count == 0 || verb is "list-units" or "list-unit-files" or "mask" or "unmask" or "set-default" or "isolate" or "reboot" or "poweroff")
        {
            return io.Ignored("systemctl " + string.Join(' ', arguments));
        }

        var status = 0;
        foreach (var raw in units)
        {
            if (raw.Contains('.', StringComparison.Ordinal) && !raw.EndsWith(".service", StringComparison.Ordinal))
            {
                status = Max(status, io.Ignored($"systemctl {verb} {raw}"));
                continue;
            }

            var unit = raw.EndsWith(".service", StringComparison.Ordinal) ? raw[..^".service".Length] : raw;
            var result = verb switch
            {
                "start" => StartUnit(unit, "start", io),
                "restart" or "try-restart" or "reload-or-restart" or "condrestart" or "force-reload" => RestartUnit(unit, verb, io),
                "reload" => ReloadUnit(unit, io),
                "stop" => StopUnit(unit, io),
                "enable" => EnableUnit(unit, io) is var enabled && enabled == 0 && now ? StartUnit(unit, "start", io) : enabled,
                "disable" => DisableUnit(unit, io) is var disabled && disabled == 0 && now ? StopUnit(unit, io) : disabled,
                "status" => UnitStatus(unit, io),
                "is-active" => IsActive(unit, quiet ? new CommandIo("") : io),
                "is-enabled" => IsEnabled(unit, quiet ? new CommandIo("") : io),
                "is-failed" => io.Line(os.HasUnit(unit) ? (os.IsRunning(unit) ? "active" : "inactive") : "inactive") + 1,
                _ => io.Ignored($"systemctl {verb} {raw}"),
            };
            status = Max(status, result);
        }

        return status;
    }

    private static int Max(int a, int b) => a != 0 ? a : b;

    private int StartUnit(string unit, string verb, CommandIo io)
    {
        if (!os.HasUnit(unit))
        {
            return io.Fail($"Failed to {verb} {unit}.service: Unit {unit}.service not found.", 5);
        }

        if (os.Start(unit) is { } holder)
        {
            io.ErrorLine($"Job for {unit}.service failed because the control process exited with error code.");
            io.ErrorLine($"See \"systemctl status {unit}.service\" and \"journalctl -xeu {unit}.service\" for details.");
            io.ErrorLine($"[sandbox] {unit} could not listen on port 80: {holder} already listens there (Address already in use).");
            return 1;
        }

        return 0;
    }

    private int RestartUnit(string unit, string verb, CommandIo io)
    {
        if (verb is "try-restart" or "condrestart" && !os.IsRunning(unit))
        {
            return os.HasUnit(unit) ? 0 : io.Fail($"Failed to {verb} {unit}.service: Unit {unit}.service not found.", 5);
        }

        // The web server keeps its listener across a restart; the sandbox does not model the brief gap.
        return StartUnit(unit, "restart", io);
    }

    private int ReloadUnit(string unit, CommandIo io)
    {
        if (!os.HasUnit(unit))
        {
            return io.Fail($"Failed to reload {unit}.service: Unit {unit}.service not found.", 5);
        }

        return os.IsRunning(unit) || PackageCatalog.ImageServices.Contains(unit)
            ? 0
            : io.Fail($"Job for {unit}.service invalid.", 1);
    }

    private int StopUnit(string unit, CommandIo io)
    {
        if (!os.HasUnit(unit))
        {
            return io.Fail($"Failed to stop {unit}.service: Unit {unit}.service not loaded.", 5);
        }

        os.Stop(unit);
        return 0;
    }

    private int EnableUnit(string unit, CommandIo io)
    {
        if (!os.HasUnit(unit))
        {
            return io.Fail($"Failed to enable unit: Unit file {unit}.service does not exist.", 1);
        }

        if (os.Enable(unit))
        {
            io.ErrorLine($"Created symlink /etc/systemd/system/multi-user.target.wants/{unit}.service → /usr/lib/systemd/system/{unit}.service.");
        }

        return 0;
    }

    private int DisableUnit(string unit, CommandIo io)
    {
        if (!os.HasUnit(unit))
        {
            return io.Fail($"Failed to disable unit: Unit file {unit}.service does not exist.", 1);
        }

        if (os.Disable(unit))
        {
            io.ErrorLine($"Removed \"/etc/systemd/system/multi-user.target.wants/{unit}.service\".");
        }

        return 0;
    }

    private int IsActive(string unit, CommandIo io)
    {
        var active = os.IsRunning(unit) || PackageCatalog.ImageServices.Contains(unit);
        io.WriteLine(active ? "active" : "inactive");
        return active ? 0 : 3;
    }

    private int IsEnabled(string unit, CommandIo io)
    {
        if (!os.HasUnit(unit))
        {
            return io.Fail($"Failed to get unit file state for {unit}.service: No such file or directory", 1);
        }

        var enabled = os.IsEnabled(unit);
        io.WriteLine(enabled ? "enabled" : "disabled");
        return enabled ? 0 : 1;
    }

    private int UnitStatus(string unit, CommandIo io)
    {
        if (!os.HasUnit(unit))
        {
            return io.Fail($"Unit {unit}.service could not be found.", 4);
        }

        var running = os.IsRunning(unit) || PackageCatalog.ImageServices.Contains(unit);
        var description = unit switch
        {
            "nginx" => "The nginx HTTP and reverse proxy server",
            "httpd" or "apache2" => "The Apache HTTP Server",
            _ => unit,
        };
        io.WriteLine($"● {unit}.service - {description}");
        io.WriteLine($"     Loaded: loaded (/usr/lib/systemd/system/{unit}.service; {(os.IsEnabled(unit) ? "enabled" : "disabled")}; preset: disabled)");
        io.WriteLine(running ? "     Active: active (running)" : "     Active: inactive (dead)");
        return running ? 0 : 3;
    }
}
