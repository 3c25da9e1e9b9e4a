using Hangfire;
using LabPortal.Infrastructure.Jobs;
using LabPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.Portal;

/// <summary>Hangfire as each portal host owns it: its own storage file, its own server, durable across a restart.</summary>
public sealed class JobsTests
{
    [Fact]
    public async Task Job_scheduled_before_a_restart_runs_after_it()
    {
        using var data = new TempDirectory();
        var marker = Path.Combine(data.Path, "probe-ran.txt");
        DateTimeOffset dueAt;

        await using (var first = new PortalFactory(data.Path, database: TestDatabaseProvider.Sqlite))
        {
            // Due well after this host stops: only the next host can run it.
            dueAt = DateTimeOffset.UtcNow.AddSeconds(3);
            first.Services.GetRequiredService<IBackgroundJobClient>().Schedule<ProbeJob>(p => p.WriteAsync(marker), dueAt);
        }

        var wait = dueAt - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait + TimeSpan.FromMilliseconds(200));
        }

        Assert.False(File.Exists(marker));
        Assert.True(File.Exists(Path.Combine(data.Path, "hangfire.db")), "The job storage is not its own file in the data folder.");

        await using var second = new PortalFactory(data.Path, database: TestDatabaseProvider.Sqlite);
        _ = second.Services;
        Assert.True(await WaitForAsync(() => File.Exists(marker), TimeSpan.FromSeconds(45)), "The job scheduled before the restart never ran after it.");
        Assert.True(DateTimeOffset.Parse((await File.ReadAllLinesAsync(marker))[0], System.Globalization.CultureInfo.InvariantCulture) >= dueAt.AddMilliseconds(-50));
    }

    [Fact]
    public async Task Two_portals_in_one_process_run_only_their_own_jobs()
    {
        using var dataA = new TempDirectory();
        using var dataB = new TempDirectory();
        await using var a = new PortalFactory(dataA.Path);
        await using var b = new PortalFactory(dataB.Path);
        var storageA = a.Services.GetRequiredService<JobStorage>();
        var storageB = b.Services.GetRequiredService<JobStorage>();
        Assert.NotSame(storageA, storageB);
        Assert.NotSame(a.Services.GetRequiredService<IBackgroundJobClient>(), b.Services.GetRequiredService<IBackgroundJobClient>());

        var markers = Enumerable.Range(0, 10).Select(i => (A: Path.Combine(dataA.Path, $"a-{i}.txt"), B: Path.Combine(dataB.Path, $"b-{i}.txt"))).ToList();
        foreach (var (markerA, markerB) in markers)
        {
            a.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<ProbeJob>(p => p.WriteAsync(markerA));
            b.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<ProbeJob>(p => p.WriteAsync(markerB));
        }

        // Done means the job wrote its marker and its Succeeded state is stored.
        Assert.True(await WaitForAsync(
            () => markers.All(m => File.Exists(m.A) && File.Exists(m.B)) && storageA.GetMonitoringApi().SucceededListCount() >= 10 && storageB.GetMonitoringApi().SucceededListCount() >= 10,
            TimeSpan.FromSeconds(45)), "Not every job ran.");

        // Each job ran in the host whose storage holds it: the marker records the data folder of the host that ran it.
        foreach (var (markerA, markerB) in markers)
        {
            Assert.Equal(dataA.Path, (await File.ReadAllLinesAsync(markerA))[1]);
            Assert.Equal(dataB.Path, (await File.ReadAllLinesAsync(markerB))[1]);
        }

        Assert.Equal(10, storageA.GetMonitoringApi().SucceededListCount());
        Assert.Equal(10, storageB.GetMonitoringApi().SucceededListCount());
        var serverA = a.Services.GetRequiredService<JobServer>().Name;
        var serverB = b.Services.GetRequiredService<JobServer>().Name;
        Assert.All(storageA.GetMonitoringApi().Servers(), s => Assert.StartsWith(serverA, s.Name, StringComparison.Ordinal));
        Assert.All(storageB.GetMonitoringApi().Servers(), s => Assert.StartsWith(serverB, s.Name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Healthz_reports_the_job_server_with_its_workers_and_the_storage()
    {
        using var data = new TempDirectory();
        await using var factory = new PortalFactory(data.Path, new Dictionary<string, string?> { ["Jobs:MaxConcurrency"] = "3" });
        using var client = factory.CreateClient();

        // The server registers itself in the storage as it starts: wait for its first heartbeat.
        System.Text.Json.JsonElement jobs = default;
        var healthy = await WaitForAsync(() =>
        {
            var body = client.GetStringAsync("/healthz").GetAwaiter().GetResult();
            jobs = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("checks").GetProperty("jobs").Clone();
            return jobs.GetProperty("status").GetString() == "Healthy";
        }, TimeSpan.FromSeconds(30));

        Assert.True(healthy, jobs.ToString());
        Assert.Equal(3, jobs.GetProperty("data").GetProperty("workers").GetInt32());
        // Hangfire goes where the portal's data goes: the database the fixture chose for this portal.
        var storage = factory.Database switch
        {
            TestDatabaseProvider.Sqlite => JobStorageKind.Sqlite,
            TestDatabaseProvider.PostgreSql => JobStorageKind.PostgreSql,
            _ => throw new InvalidOperationException($"No job storage known for {factory.Database}."),
        };
        Assert.Equal(storage.ToString(), jobs.GetProperty("data").GetProperty("storage").GetString());
        Assert.Equal(factory.Services.GetRequiredService<JobServer>().Name, jobs.GetProperty("data").GetProperty("server").GetString());
    }

    private static async Task<bool> WaitForAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        return condition();
    }
}

/// <summary>A job that writes when it ran and the data folder of the portal that ran it.</summary>
public sealed class ProbeJob(LabPortal.Infrastructure.DataDirectory dataDirectory)
{
    public Task WriteAsync(string path) =>
        File.WriteAllLinesAsync(path, [DateTimeOffset.UtcNow.ToString("O"), dataDirectory.Path]);
}
