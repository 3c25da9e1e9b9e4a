using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LabPortal.Bench;

/// <summary>A ratio between two measurements of the same run, and its goal (a floor, or a ceiling when <see cref="Ceiling"/> is set).</summary>
internal sealed record Ratio(string Name, string Numerator, string Denominator, double Value, double Goal, bool NumeratorClean)
{
    /// <summary>An upper bound (for costs that must not grow); null for throughput floors.</summary>
    public double? Ceiling { get; init; }

    /// <summary>Met when the ratio is within its goal and the measured side answered without a single failure.</summary>
    public bool Met => Value >= Goal && (Ceiling is null || Value <= Ceiling) && NumeratorClean;

    public bool HasGoal => Goal > 0 || Ceiling is not null;

    public string GoalText => Ceiling is { } ceiling
        ? string.Create(CultureInfo.InvariantCulture, $"<= {ceiling:0.0#}x")
        : Goal > 0 ? string.Create(CultureInfo.InvariantCulture, $">= {Goal:0.0#}x") : "none (reported)";
}

/// <summary>An absolute goal (a measured value against a ceiling in its own unit), met only if the measurement ran clean.</summary>
internal sealed record GoalCheck(string Name, double Value, string Unit, double Ceiling, bool Clean)
{
    public bool Met => Value <= Ceiling && Clean;
}

/// <summary>A table of measurements for benchmarks that are not wrk runs (students, panel).</summary>
internal sealed record ResultTable(string Title, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows);

/// <summary>What one benchmark measured, written to <c>bench/results/&lt;date&gt;-&lt;name&gt;.md</c> and <c>.json</c>.</summary>
internal sealed record BenchReport(
    string Name,
    string Title,
    DateTimeOffset Started,
    DateTimeOffset Finished,
    MachineInfo Machine,
    string LoadAverageBefore,
    string LoadAverageAfter,
    IReadOnlyDictionary<string, string> Tools,
    BenchOptions Options,
    IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyList<WrkRun> Runs,
    IReadOnlyDictionary<string, double> MedianRequestsPerSecond,
    IReadOnlyList<Ratio> Ratios,
    IReadOnlyList<string> Notes)
{
    /// <summary>Measurement tables (students, panel); empty for the wrk benchmarks.</summary>
    public IReadOnlyList<ResultTable> Tables { get; init; } = [];

    /// <summary>Absolute goals (panel: heap per tab, CPU, update lag).</summary>
    public IReadOnlyList<GoalCheck> Goals { get; init; } = [];

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return 0;
        }

        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    public static Dictionary<string, double> Medians(IEnumerable<WrkRun> runs) =>
        runs.GroupBy(r => r.Target).ToDictionary(g => g.Key, g => Median(g.Select(r => r.RequestsPerSecond)));

    public static Ratio RatioOf(string name, string numerator, string denominator, double goal, IReadOnlyDictionary<string, double> medians, IEnumerable<WrkRun> runs)
    {
        var value = medians[denominator] > 0 ? medians[numerator] / medians[denominator] : 0;
        return new Ratio(name, numerator, denominator, value, goal, runs.Where(r => r.Target == numerator).All(r => r.Failures == 0));
    }

    /// <summary>Writes both files and returns the Markdown path.</summary>
    public async Task<string> WriteAsync()
    {
        Directory.CreateDirectory(Options.ResultsDirectory);
        var stem = Path.Combine(Options.ResultsDirectory, $"{Started.UtcDateTime:yyyy-MM-dd}-{Name}");
        await File.WriteAllTextAsync(stem + ".json", JsonSerializer.Serialize(this, Json) + "\n");
        await File.WriteAllTextAsync(stem + ".md", ToMarkdown());
        return stem + ".md";
    }

    public string ToMarkdown()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(inv, $"# {Title}\n\n");
        sb.Append(inv, $"- date: {Started.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC to {Finished.UtcDateTime:HH:mm:ss} UTC\n");
        sb.Append(inv, $"- machine: {Machine.Cores} cores (nproc), {Machine.MemoryMiB} MiB memory, kernel {Machine.Kernel}, {Machine.Os}\n");
        sb.Append(inv, $"- .NET: {Machine.DotNet}, server GC {(Machine.ServerGc ? "on" : "off")}\n");
        sb.Append(inv, $"- load average (1/5/15 min): before {LoadAverageBefore}, after {LoadAverageAfter} ({MachineInfo.Sharing(LoadAverageBefore)})\n");
        foreach (var (tool, version) in Tools)
        {
            sb.Append(inv, $"- {tool}: {version}\n");
        }

        if (Runs.Count > 0)
        {
            sb.Append(inv, $"- wrk parameters: -t{Options.Threads} -c{Options.Connections} -d{Options.DurationSeconds}s --timeout 5s, {Options.Repeats} runs per target (interleaved), {Options.WarmupSeconds} s warm-up per target first\n");
        }

        foreach (var (key, value) in Parameters)
        {
            sb.Append(inv, $"- {key}: {value}\n");
        }

        foreach (var table in Tables)
        {
            sb.Append(inv, $"\n## {table.Title}\n\n| {string.Join(" | ", table.Columns)} |\n|{string.Concat(table.Columns.Select(_ => "---|"))}\n");
            foreach (var row in table.Rows)
            {
                sb.Append(inv, $"| {string.Join(" | ", row)} |\n");
            }
        }

        if (Runs.Count > 0)
        {
            AppendWrkRuns(sb);
        }

        if (Ratios.Count > 0)
        {
            sb.Append("\n## Ratios\n\n| ratio | value | goal | met |\n|---|---|---|---|\n");
            foreach (var ratio in Ratios)
            {
                var met = ratio.Met ? "yes" : ratio.NumeratorClean ? "no" : "no (the measured side had failures)";
                sb.Append(inv, $"| {ratio.Name} ({ratio.Numerator} / {ratio.Denominator}) | {ratio.Value:0.00}x | {ratio.GoalText} | {(ratio.HasGoal ? met : "-")} |\n");
            }
        }

        if (Goals.Count > 0)
        {
            sb.Append("\n## Goals\n\n| goal | value | ceiling | met |\n|---|---|---|---|\n");
            foreach (var goal in Goals)
            {
                var met = goal.Met ? "yes" : goal.Clean ? "no" : "no (the measurement had failures)";
                sb.Append(inv, $"| {goal.Name} | {goal.Value:0.###} {goal.Unit} | <= {goal.Ceiling:0.###} {goal.Unit} | {met} |\n");
            }
        }

        if (Notes.Count > 0)
        {
            sb.Append("\n## Notes\n\n");
            foreach (var note in Notes)
            {
                sb.Append("- ").Append(note).Append('\n');
            }
        }

        return sb.ToString();
    }

    private void AppendWrkRuns(StringBuilder sb)
    {
        var inv = CultureInfo.InvariantCulture;
        sb.Append("\n## Runs\n\n| # | target | requests | seconds | req/s | non-2xx/3xx | socket errors | timeouts | p50 ms | p99 ms |\n|---|---|---|---|---|---|---|---|---|---|\n");
        var n = 0;
        foreach (var run in Runs)
        {
            sb.Append(inv, $"| {++n} | {run.Target} | {run.Requests} | {run.Seconds:0.00} | {run.RequestsPerSecond:0} | {run.StatusErrors} | {run.SocketErrors} | {run.Timeouts} | {run.LatencyP50Ms:0.00} | {run.LatencyP99Ms:0.00} |\n");
        }

        sb.Append("\n## Medians\n\n| target | median req/s |\n|---|---|\n");
        foreach (var (target, rps) in MedianRequestsPerSecond)
        {
            sb.Append(inv, $"| {target} | {rps:0} |\n");
        }
    }
}
