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
        DateTimeOffset fireAt;

        using (var first = new PortalFactory(data.Path))
        {
            // In standby the first host can never fire the trigger, however slowly it stops on a busy
            // machine: the job is due while no scheduler runs it, as after a crash.
            // (Quartz's hosted service starts the scheduler once the application has started: wait for
            // that, or the start would undo the standby.)
            var scheduler = await first.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
            var started = DateTime.UtcNow;
            while (await scheduler.GetStatus() != SchedulerStatus.Running && DateTime.UtcNow - started < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(50);
            }

            Assert.True(await scheduler.GetStatus() == SchedulerStatus.Running, "The first host's scheduler never started.");
            await scheduler.Standby();
            fireAt = DateTimeOffset.UtcNow.AddSeconds(1);
            var job = JobBuilder.Create<ProbeJob>()
                .WithIdentity("probe", "tests")
                .UsingJobData(ProbeJob.MarkerKey, marker)
                .Build();
            // A one-shot trigger's default misfire policy fires it at once if it is found late.
            var trigger = TriggerBuilder.Create().WithIdentity("probe", "tests").StartAt(fireAt).Build();
            await scheduler.ScheduleJob(job, trigger);
        }

        // The trigger's time passed with no host running: nothing ran.
        var wait = fireAt - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait + TimeSpan.FromMilliseconds(200));
        }

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
