using Hangfire;
using LabPortal.Features.Cleanup;

namespace LabPortal.Tests.Support;

/// <summary>
/// Every job the recurring auto-cleanup created in a Hangfire storage: its occurrence (Hangfire's <c>Time</c>
/// parameter) and which servers processed it how often. With several nodes on one storage, each occurrence
/// must be one job, processed once.
/// </summary>
public static class CleanupSweeps
{
    public static List<Sweep> Read(JobStorage storage)
    {
        var monitoring = storage.GetMonitoringApi();
        using var connection = storage.GetConnection();
        var ids = monitoring.SucceededJobs(0, 1000).Select(j => j.Key)
            .Concat(monitoring.ProcessingJobs(0, 1000).Select(j => j.Key))
            .Concat(monitoring.FailedJobs(0, 1000).Select(j => j.Key))
            .Distinct();
        var sweeps = new List<Sweep>();
        foreach (var id in ids)
        {
            if (connection.GetJobParameter(id, "RecurringJobId") is not { } recurring || !recurring.Contains(CleanUpIdleRuns.Id, StringComparison.Ordinal))
            {
                continue;
            }

            var details = monitoring.JobDetails(id);
            var processing = details.History.Where(h => h.StateName == "Processing").ToList();
            sweeps.Add(new Sweep(
                id,
                connection.GetJobParameter(id, "Time"),
                processing.Count,
                [.. processing.Select(h => h.Data.TryGetValue("ServerId", out var server) ? server : "?")],
                details.History.Any(h => h.StateName == "Succeeded")));
        }

        return sweeps;
    }

    /// <summary>Asserts one job per occurrence (no node scheduled an occurrence another had) and each finished job processed once.</summary>
    public static void AssertOncePerOccurrence(IReadOnlyCollection<Sweep> sweeps)
    {
        Assert.All(sweeps, s => Assert.NotNull(s.Occurrence));
        Assert.Equal(sweeps.Count, sweeps.Select(s => s.Occurrence).Distinct().Count());
        Assert.All(sweeps.Where(s => s.Finished), s => Assert.Equal(1, s.Processings));
    }

    public sealed record Sweep(string JobId, string? Occurrence, int Processings, string[] Servers, bool Finished);
}
