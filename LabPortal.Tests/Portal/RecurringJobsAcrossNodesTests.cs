using Hangfire;
using Hangfire.PostgreSql;
using LabPortal.Features.Cleanup;
using LabPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace LabPortal.Tests.Portal;

/// <summary>
/// Recurring jobs once across nodes: two portal hosts (two Hangfire servers) on one PostgreSQL job
/// storage each register the auto-cleanup sweep; every occurrence of it becomes one job, run once, by
/// one of them.
/// </summary>
[Trait("Category", "PostgreSQL")]
public sealed class RecurringJobsAcrossNodesTests(PostgresClusterFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresClusterFixture>
{
    private const int Occurrences = 6;

    [Fact]
    public async Task The_auto_cleanup_runs_once_per_interval_with_two_job_servers_on_one_database()
    {
        using var dataA = new TempDirectory();
        using var dataB = new TempDirectory();
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Jobs"] = postgres.ConnectionString,
            ["Cleanup:Interval"] = "00:00:02",
        };
        await using var nodeA = new PortalFactory(dataA.Path, settings);
        await using var nodeB = new PortalFactory(dataB.Path, settings);
        var storage = nodeA.Services.GetRequiredService<JobStorage>();
        Assert.IsType<PostgreSqlStorage>(storage);
        Assert.IsType<PostgreSqlStorage>(nodeB.Services.GetRequiredService<JobStorage>());

        var deadline = DateTime.UtcNow.AddSeconds(120);
        List<Sweep> sweeps;
        while ((sweeps = Sweeps(storage)).Count(s => s.Finished) < Occurrences && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
        }

        Assert.True(sweeps.Count(s => s.Finished) >= Occurrences, $"Only {sweeps.Count(s => s.Finished)} sweep(s) finished in two minutes.");
        var servers = storage.GetMonitoringApi().Servers().Select(s => s.Name).ToList();
        Assert.Equal(2, servers.Count);
        foreach (var sweep in sweeps)
        {
            output.WriteLine($"occurrence {sweep.Occurrence}: job {sweep.JobId}, processed {sweep.Processings} time(s) by {string.Join(", ", sweep.Servers)}");
        }

        // One job per occurrence (no node scheduled an occurrence the other had), and each job run once.
        Assert.All(sweeps, s => Assert.NotNull(s.Occurrence));
        Assert.Equal(sweeps.Count, sweeps.Select(s => s.Occurrence).Distinct().Count());
        Assert.All(sweeps.Where(s => s.Finished), s => Assert.Equal(1, s.Processings));
        Assert.All(sweeps.SelectMany(s => s.Servers), server => Assert.Contains(server, servers));
    }

    /// <summary>Every job the recurring auto-cleanup created: its occurrence (Hangfire's <c>Time</c> parameter) and who processed it how often.</summary>
    private static List<Sweep> Sweeps(JobStorage storage)
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

    private sealed record Sweep(string JobId, string? Occurrence, int Processings, string[] Servers, bool Finished);
}
