using LabPortal.Infrastructure.Data;
using Quartz;

namespace LabPortal.Infrastructure.Jobs;

public static class JobsModule
{
    /// <summary>
    /// Quartz with its ADO job store in the portal database, so scheduled work survives a restart.
    /// The tables come from a migration (<see cref="QuartzSchema"/>); Quartz's own schema
    /// provisioning stays off so there is one owner of the schema.
    /// </summary>
    public static IHostApplicationBuilder AddJobs(this IHostApplicationBuilder builder, Action<IQuartzBuilder>? configure = null)
    {
        var connectionString = DataModule.PortalConnectionString(builder.Configuration, DataDirectory.Resolve(builder));
        builder.Services.AddQuartz(quartz =>
        {
            quartz.ConfigureScheduler(scheduler =>
            {
                scheduler.InstanceName = "LabPortal";
                scheduler.GenerateInstanceId = true;
            });
            quartz.UseDefaultThreadPool(pool => pool.MaxConcurrency = builder.Configuration.GetValue("Jobs:MaxConcurrency", 8));
            quartz.UsePersistentStore(store =>
            {
                store.UseSystemTextJsonSerializer();
                store.UseSqlite(connectionString);
            });
            configure?.Invoke(quartz);
        });
        builder.Services.AddQuartzHostedService(options =>
        {
            options.WaitForJobsToComplete = true;
            options.AwaitApplicationStarted = true;
        });
        return builder;
    }
}
