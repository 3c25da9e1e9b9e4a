using Hangfire;
using Hangfire.PostgreSql;
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
        List<CleanupSweeps.Sweep> sweeps;
        while ((sweeps = CleanupSweeps.Read(storage)).Count(s => s.Finished) < Occurrences && DateTime.UtcNow < deadline)
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
        CleanupSweeps.AssertOncePerOccurrence(sweeps);
        Assert.All(sweeps.SelectMany(s => s.Servers), server => Assert.Contains(server, servers));
    }
}
