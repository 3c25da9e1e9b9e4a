using System.Net;
using System.Text.Json;
using Hangfire;
using Hangfire.PostgreSql;
using LabPortal.Infrastructure.Jobs;
using LabPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.Portal;

/// <summary>The storage switch: with a PostgreSQL connection string for the jobs, the portal starts on Hangfire.PostgreSql and runs jobs there.</summary>
[Trait("Category", "PostgreSQL")]
public sealed class JobsOnPostgreSqlTests
{
    [Fact]
    public async Task Portal_with_a_PostgreSQL_jobs_connection_runs_its_jobs_in_PostgreSQL()
    {
        var cluster = await PostgresCluster.SharedAsync();
        var jobsDatabase = await cluster.CreateDatabaseAsync("jobs_" + Guid.NewGuid().ToString("N")[..12]);
        using var data = new TempDirectory();
        await using var factory = new PortalFactory(data.Path, new Dictionary<string, string?> { ["ConnectionStrings:Jobs"] = jobsDatabase }, database: TestDatabaseProvider.Sqlite);

        var storage = factory.Services.GetRequiredService<JobStorage>();
        Assert.IsType<PostgreSqlStorage>(storage);
        Assert.False(File.Exists(Path.Combine(data.Path, "hangfire.db")), "The SQLite storage was created although PostgreSQL was configured.");

        var markers = Enumerable.Range(0, 5).Select(i => Path.Combine(data.Path, $"pg-{i}.txt")).ToList();
        foreach (var marker in markers)
        {
            factory.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<ProbeJob>(p => p.WriteAsync(marker));
        }

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((!markers.All(File.Exists) || storage.GetMonitoringApi().SucceededListCount() < markers.Count) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.All(markers, m => Assert.True(File.Exists(m), $"{Path.GetFileName(m)} never ran."));
        Assert.Equal(markers.Count, storage.GetMonitoringApi().SucceededListCount());

        // /healthz names the PostgreSQL storage and this portal's live server.
        using var client = factory.CreateClient();
        var health = await client.GetAsync("/healthz");
        var body = await health.Content.ReadAsStringAsync();
        Assert.True(health.StatusCode == HttpStatusCode.OK, body);
        using var report = JsonDocument.Parse(body);
        var jobs = report.RootElement.GetProperty("checks").GetProperty("jobs");
        Assert.Equal("Healthy", jobs.GetProperty("status").GetString());
        Assert.Equal(nameof(JobStorageKind.PostgreSql), jobs.GetProperty("data").GetProperty("storage").GetString());
        Assert.Equal(new JobsOptions().MaxConcurrency, jobs.GetProperty("data").GetProperty("workers").GetInt32());
    }
}
