using System.Collections.Concurrent;

namespace LabPortal.Infrastructure.Jobs;

/// <summary>
/// Counts job executions per kind: those that did the work and those that found it already done
/// or held by another execution (a duplicate delivery: Hangfire runs a job at least once). Read by
/// <c>/healthz</c>, the tests and the benchmarks.
/// </summary>
public sealed class JobExecutions
{
    public const string Step = "step";
    public const string Teardown = "teardown";

    private readonly ConcurrentDictionary<string, long> _started = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _skipped = new(StringComparer.Ordinal);

    public void Started(string kind) => _started.AddOrUpdate(kind, 1, (_, n) => n + 1);

    public void Skipped(string kind) => _skipped.AddOrUpdate(kind, 1, (_, n) => n + 1);

    public long StartedCount(string kind) => _started.GetValueOrDefault(kind);

    /// <summary>Executions that did nothing because the step or run was finished or leased by another execution.</summary>
    public long SkippedCount(string kind) => _skipped.GetValueOrDefault(kind);
}
