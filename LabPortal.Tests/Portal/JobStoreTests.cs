using LabPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace LabPortal.Tests.Portal;

public sealed class JobStoreTests
{
    [Fact]
    public async Task Job_scheduled_before_a_restart_runs_after_it()
    {
        using var data = new TempDirectory();
        var marker = Path.Combine(data.Path, "probe-ran.txt");
        var fireAt = DateTimeOffset.UtcNow.AddSeconds(4);

        using (var first = new PortalFactory(data.Path))
        {
            var scheduler = await first.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
            var job = JobBuilder.Create<ProbeJob>()
                .WithIdentity("probe", "tests")
                .UsingJobData(ProbeJob.MarkerKey, marker)
                .Build();
            var trigger = TriggerBuilder.Create().WithIdentity("probe", "tests").StartAt(fireAt).Build();
            await scheduler.ScheduleJob(job, trigger);
        }

        // The first host stopped before the trigger's time: nothing ran.
        Assert.True(DateTimeOffset.UtcNow < fireAt, "The first host took too long to stop for this test to mean anything.");
        Assert.False(File.Exists(marker));

        using var second = new PortalFactory(data.Path);
        _ = second.Services;
        var deadline = DateTime.UtcNow.AddSeconds(45);
        while (!File.Exists(marker) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.True(File.Exists(marker), "The job scheduled before the restart never ran after it.");
        Assert.True(DateTimeOffset.Parse(await File.ReadAllTextAsync(marker), System.Globalization.CultureInfo.InvariantCulture) >= fireAt.AddMilliseconds(-50));
    }
}

/// <summary>Writes the time it ran to the file named in its job data.</summary>
public sealed class ProbeJob : IJob
{
    public const string MarkerKey = "marker";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var path = context.MergedJobDataMap.GetString(MarkerKey)!;
        await File.WriteAllTextAsync(path, DateTimeOffset.UtcNow.ToString("O"), cancellationToken);
    }
}
