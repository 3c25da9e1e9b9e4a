using Hangfire;
using LabPortal.Features.LabRuns.Teardown;
using LabPortal.Infrastructure.Data;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.E2E.Cleanup;

/// <summary>
/// A teardown whose execution died with its node: the run is left tearing down, its lease running. Hangfire hands
/// the job to another node once the dead one stops renewing it; that delivery must not drop the work because of the
/// dead execution's lease, but come back after it and finish the teardown. Only a storage several nodes share (PostgreSQL)
/// needs this: on SQLite the one process releases a dead execution's leases when it starts again.
/// </summary>
[Trait("Category", "PostgreSQL")]
public sealed class TeardownLeaseTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public TeardownLeaseTests()
    {
        TestDatabase.Use(_data.Path, TestDatabaseProvider.PostgreSql);
    }

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Delivery_that_finds_a_dead_teardowns_lease_comes_back_after_it_and_tears_the_run_down()
    {
        await using var factory = new PortalFactory(_data.Path, PortalFactory.OnSandbox(new Dictionary<string, string?> { ["Labs:Directory"] = PortalFactory.FixtureLabs }));
        var code = await Students.CreateClassAsync(factory, "TDLEASE");
        using var student = await Students.JoinAsync(factory, code, "Lease Learner");
        var driver = await LabDriver.StartAsync(factory, student, PortalFactory.FixtureLabs, "fixture-lab");

        // What a node killed in the middle of the run's teardown leaves behind.
        var leaseUntil = DateTime.UtcNow.AddSeconds(3);
        await PortalState.ReadAsync(factory, db => db.LabRuns.Where(r => r.Id == driver.RunId).ExecuteUpdateAsync(set => set
            .SetProperty(r => r.Status, LabRunStatus.TearingDown)
            .SetProperty(r => r.TeardownReason, TeardownReason.Learner)
            .SetProperty(r => r.TeardownLeaseUntilUtc, leaseUntil)));
        RunTeardown.Enqueue(factory.Services.GetRequiredService<IBackgroundJobClient>(), driver.RunId);

        var run = await PortalState.WaitForAsync(factory, db => db.LabRuns.AsNoTracking().SingleAsync(r => r.Id == driver.RunId), r => r.Status != LabRunStatus.TearingDown, "the teardown's end", seconds: 60);
        Assert.Equal(LabRunStatus.TornDown, run.Status);
        Assert.True(run.FinishedAtUtc >= leaseUntil, $"The teardown finished at {run.FinishedAtUtc:O}, inside the dead execution's lease (until {leaseUntil:O}).");
    }
}
