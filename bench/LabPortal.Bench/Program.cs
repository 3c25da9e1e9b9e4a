using System.Globalization;
using LabPortal.Bench;

// Usage: LabPortal.Bench api|proxy|students|panel|reset|dashboard|joins|clients|scaleout|all [options]; portal-host is the child process students and panel start.
const string Usage = "usage: LabPortal.Bench api|proxy|students|panel|reset|dashboard|joins|clients|scaleout|all [--threads 1] [--connections 16] [--duration 5] [--warmup 5] [--repeats 3] [--nginx-workers auto] "
    + "[--students 30] [--tabs 100] [--runs 20] [--phase-seconds 60] [--time-scale 100] [--calls 2000] [--browser-priority idle] [--embedded on] [--results bench/results]";

if (args.Length > 0 && args[0] == PortalHost.Command)
{
    return await PortalHost.RunAsync(args[1..]);
}

if (args.Length == 0 || args[0] is not ("api" or "proxy" or "students" or "panel" or "reset" or "dashboard" or "joins" or "clients" or "scaleout" or "all"))
{
    Console.Error.WriteLine(Usage);
    return 2;
}

BenchOptions options;
try
{
    // scaleout: 60 students' Chromium share the machine's 2 cores with the servers. At 8 s of reading time they saturated
    // them (phase 2 took 2.6 times phase 1's wall time, so every server's fixed cost was paid 2.6 times as long); 20 s
    // keeps both phases below saturation, as students' own laptops would. --think-seconds still wins.
    options = BenchOptions.Parse(args[0] == "scaleout" ? ["--think-seconds", "20", .. args[1..]] : args[1..]);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(Usage);
    return 2;
}

var benchmarks = args[0] == "all" ? ["api", "proxy", "students", "panel", "reset", "dashboard", "joins", "clients", "scaleout"] : new[] { args[0] };

foreach (var name in benchmarks)
{
    var report = name switch
    {
        "api" => await ApiBenchmark.RunAsync(options),
        "proxy" => await ProxyBenchmark.RunAsync(options),
        "students" => await StudentsBenchmark.RunAsync(options),
        "reset" => await ResetBenchmark.RunAsync(options),
        "dashboard" => await DashboardBenchmark.RunAsync(options),
        "joins" => await JoinsBenchmark.RunAsync(options),
        "clients" => await ClientsBenchmark.RunAsync(options),
        "scaleout" => await ScaleOutBenchmark.RunAsync(options),
        _ => await PanelBenchmark.RunAsync(options),
    };
    var path = await report.WriteAsync();
    Console.WriteLine();
    foreach (var (target, rps) in report.MedianRequestsPerSecond)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{target}: median {rps:0} req/s"));
    }

    foreach (var ratio in report.Ratios)
    {
        var goal = ratio.HasGoal ? $" (goal {ratio.GoalText}: {(ratio.Met ? "met" : "not met")})" : "";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ratio.Name}: {ratio.Value:0.00}x{goal}"));
    }

    Console.WriteLine($"Load average before {report.LoadAverageBefore}, after {report.LoadAverageAfter}. Written: {path}");
}

return 0;
