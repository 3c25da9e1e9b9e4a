using System.Globalization;
using LabPortal.Bench;

// Usage: LabPortal.Bench api|proxy|all [--threads N] [--connections N] [--duration S] [--warmup S] [--repeats N] [--nginx-workers W] [--results DIR]
const string Usage = "usage: LabPortal.Bench api|proxy|all [--threads 1] [--connections 16] [--duration 5] [--warmup 5] [--repeats 3] [--nginx-workers auto] [--results bench/results]";

if (args.Length == 0 || args[0] is not ("api" or "proxy" or "all"))
{
    Console.Error.WriteLine(Usage);
    return 2;
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args[1..]);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(Usage);
    return 2;
}

var benchmarks = args[0] switch
{
    "api" => new[] { "api" },
    "proxy" => ["proxy"],
    _ => ["api", "proxy"],
};

foreach (var name in benchmarks)
{
    var report = name == "api" ? await ApiBenchmark.RunAsync(options) : await ProxyBenchmark.RunAsync(options);
    var path = await report.WriteAsync();
    Console.WriteLine();
    foreach (var (target, rps) in report.MedianRequestsPerSecond)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{target}: median {rps:0} req/s"));
    }

    foreach (var ratio in report.Ratios)
    {
        var goal = ratio.Goal > 0 ? string.Create(CultureInfo.InvariantCulture, $" (goal >= {ratio.Goal:0.0#}x: {(ratio.Met ? "met" : "not met")})") : "";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ratio.Name}: {ratio.Value:0.00}x{goal}"));
    }

    Console.WriteLine($"Load average before {report.LoadAverageBefore}, after {report.LoadAverageAfter}. Written: {path}");
}

return 0;
