using System.Globalization;

namespace LabPortal.Bench;

/// <summary>wrk's parameters and where results go. Defaults are short because the machine's 2 cores are shared.</summary>
internal sealed record BenchOptions
{
    public int Threads { get; init; } = 1;

    public int Connections { get; init; } = 16;

    public int DurationSeconds { get; init; } = 5;

    public int WarmupSeconds { get; init; } = 5;

    public int Repeats { get; init; } = 3;

    /// <summary>nginx's worker_processes; "auto" is one per core, nginx's recommended setting.</summary>
    public string NginxWorkers { get; init; } = "auto";

    public string ResultsDirectory { get; init; } = DefaultResultsDirectory();

    /// <summary>students: how many simulated students run Lab 1 at once.</summary>
    public int Students { get; init; } = 30;

    /// <summary>
    /// students: a student's reading time before each press, in seconds (each pause drawn from 0.5x to 1.5x
    /// of it; arrivals spread over one such pause). 0 presses as fast as the page allows, as a bot would.
    /// </summary>
    public int ThinkSeconds { get; init; } = 15;

    /// <summary>panel: live-panel tabs (Chromium pages, each a Blazor circuit) open at once in the many-tabs phases.</summary>
    public int Tabs { get; init; } = 100;

    /// <summary>panel: lab runs the tabs are spread over in the last phase.</summary>
    public int PanelRuns { get; init; } = 20;

    /// <summary>panel: how long each phase is measured.</summary>
    public int PhaseSeconds { get; init; } = 60;

    /// <summary>clients: sequential calls per target and run.</summary>
    public int Calls { get; init; } = 2000;

    /// <summary>
    /// Browser benchmarks: whether Chromium and its renderers run in Linux's idle scheduling class (<c>chrt --idle</c>),
    /// so they get only the CPU time the portal does not use. The harness's browsers stand for the students' own
    /// laptops; on one machine they share the portal's cores, and at the same priority 31 renderers take CPU time
    /// the portal (the system measured) needs. A nice value would not hold: Chromium resets its renderers' nice
    /// value itself (0 for a foreground page, -8 for its display threads when it runs as root). False runs them
    /// as any other process.
    /// </summary>
    public bool BrowserIdle { get; init; } = true;

    /// <summary>scaleout: whether the embedded default (one process, SQLite, in-process sandbox) runs the same class as an extra, reported line.</summary>
    public bool Embedded { get; init; } = true;

    /// <summary>students/panel/reset: the embedded sandbox's <c>Sandbox:TimeScale</c>.</summary>
    public double TimeScale { get; init; } = 100;

    /// <summary>
    /// Reads <c>--threads N --connections N --duration S --warmup S --repeats N --nginx-workers W --results DIR</c>
    /// (wrk benchmarks), <c>--students N --think-seconds S --tabs N --runs N --phase-seconds S --time-scale X</c> (portal benchmarks)
    /// <c>--browser-priority idle|normal</c> (browser benchmarks), <c>--embedded on|off</c> (scaleout) and <c>--calls N</c> (clients).
    /// </summary>
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int NextInt(int min, int max)
            {
                var text = Next();
                return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
                    ? value
                    : throw new ArgumentException($"{args[i - 1]} must be a whole number from {min} to {max}, not '{text}'.");
            }

            // Bounds keep every run short: benchmarks stop by themselves (house rules).
            options = args[i] switch
            {
                "--threads" => options with { Threads = NextInt(1, 8) },
                "--connections" => options with { Connections = NextInt(1, 256) },
                "--duration" => options with { DurationSeconds = NextInt(1, 60) },
                "--warmup" => options with { WarmupSeconds = NextInt(0, 30) },
                "--repeats" => options with { Repeats = NextInt(1, 9) },
                "--nginx-workers" => options with { NginxWorkers = Next() },
                "--results" => options with { ResultsDirectory = Path.GetFullPath(Next()) },
                "--students" => options with { Students = NextInt(1, 100) },
                "--think-seconds" => options with { ThinkSeconds = NextInt(0, 120) },
                "--tabs" => options with { Tabs = NextInt(2, 300) },
                "--runs" => options with { PanelRuns = NextInt(1, 50) },
                "--phase-seconds" => options with { PhaseSeconds = NextInt(10, 300) },
                "--time-scale" => options with { TimeScale = NextInt(1, 1000) },
                "--calls" => options with { Calls = NextInt(10, 100000) },
                "--embedded" => options with
                {
                    Embedded = Next() switch
                    {
                        "on" => true,
                        "off" => false,
                        var other => throw new ArgumentException($"--embedded must be on or off, not '{other}'."),
                    },
                },
                "--browser-priority" => options with
                {
                    BrowserIdle = Next() switch
                    {
                        "idle" => true,
                        "normal" => false,
                        var other => throw new ArgumentException($"--browser-priority must be idle or normal, not '{other}'."),
                    },
                },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'."),
            };
        }

        if (options.Connections < options.Threads)
        {
            throw new ArgumentException("--connections must be at least --threads (wrk gives each thread its own connections).");
        }

        return options;
    }

    /// <summary><c>bench/results</c> of the repository the command runs in (found from the working folder upwards).</summary>
    private static string DefaultResultsDirectory()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LabPortal.slnx")))
            {
                return Path.Combine(dir.FullName, "bench", "results");
            }
        }

        return Path.Combine(Environment.CurrentDirectory, "bench-results");
    }
}
