using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage.SQLite;
using LabPortal.Infrastructure.Data;
using Microsoft.Extensions.Options;

namespace LabPortal.Infrastructure.Jobs;

/// <summary>
/// Hangfire for the background jobs (docs/decisions/0003-background-jobs-on-hangfire.md). Every
/// portal host owns its storage, client and server, registered in its own container: nothing goes
/// through Hangfire's static <c>JobStorage.Current</c> or activator, so two portals in one process
/// (the tests) never share a queue.
/// </summary>
public static class JobsModule
{
    private static readonly Lock SerializerGate = new();
    private static bool _serializerConfigured;

    public static IHostApplicationBuilder AddJobs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.IsConsistent, "Jobs:InvisibilityTimeout must be at least three times Jobs:ExecutionLimit, and Jobs:InlineWait below it: the SQLite storage has no heartbeat.")
            .ValidateOnStart();
        ConfigureSerializer();

        var dataDirectory = DataDirectory.Resolve(builder);
        var storageKind = StorageKindFor(builder.Configuration);
        builder.Services.AddSingleton(new JobStorageInfo(storageKind));
        builder.Services.AddSingleton<JobStorage>(provider => CreateStorage(storageKind, builder.Configuration, dataDirectory, provider.GetRequiredService<IOptions<JobsOptions>>().Value));
        builder.Services.AddSingleton<IBackgroundJobClient>(provider => new BackgroundJobClient(provider.GetRequiredService<JobStorage>()));
        builder.Services.AddSingleton<IRecurringJobManager>(provider => new RecurringJobManager(provider.GetRequiredService<JobStorage>()));
        builder.Services.AddSingleton<JobExecutions>();
        builder.Services.AddScoped<CurrentJob>();
        builder.Services.AddScoped<LeasedJobs>();
        // What Hangfire's dashboard middleware looks for in the container; the configuration object is
        // the process-wide one, holding only the serializer settings above.
        builder.Services.AddSingleton<IGlobalConfiguration>(GlobalConfiguration.Configuration);
        builder.Services.AddSingleton(Hangfire.Dashboard.DashboardRoutes.Routes);
        builder.Services.AddSingleton<JobServer>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<JobServer>());
        return builder;
    }

    /// <summary>
    /// PostgreSQL when <c>ConnectionStrings:Jobs</c> (or else the portal's own connection string) is a
    /// PostgreSQL one: several portal nodes can then share the queue. Otherwise an SQLite file of its
    /// own in the data folder, for one process only.
    /// </summary>
    public static JobStorageKind StorageKindFor(IConfiguration configuration) =>
        DatabaseProviders.IsPostgreSql(JobsConnectionString(configuration)) ? JobStorageKind.PostgreSql : JobStorageKind.Sqlite;

    private static string? JobsConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString("Jobs") is { Length: > 0 } jobs ? jobs : configuration.GetConnectionString("Portal");

#pragma warning disable CA1859 // JobStorage, not the concrete types: the container holds whichever this configuration chose.
    private static JobStorage CreateStorage(JobStorageKind kind, IConfiguration configuration, DataDirectory dataDirectory, JobsOptions options)
    {
        if (kind == JobStorageKind.PostgreSql)
        {
            var storageOptions = new PostgreSqlStorageOptions
            {
                QueuePollInterval = options.QueuePollInterval,
                // Several nodes: a live node keeps its jobs invisible by heartbeat; a dead node's come back after this.
                UseSlidingInvisibilityTimeout = true,
                InvisibilityTimeout = options.NodeFailoverTimeout,
                PrepareSchemaIfNecessary = true,
            };
            return new PostgreSqlStorage(new NpgsqlConnectionFactory(JobsConnectionString(configuration)!, storageOptions), storageOptions);
        }

        return new SQLiteStorage(dataDirectory.File(options.SqliteFile), new SQLiteStorageOptions
        {
            QueuePollInterval = options.QueuePollInterval,
            // No heartbeat in this storage: a job still running after this is handed out again, so it is far above the execution bound.
            InvisibilityTimeout = options.InvisibilityTimeout,
        });
    }
#pragma warning restore CA1859

    /// <summary>
    /// Hangfire's serializer settings are process-wide (its serialization helper is static); every host
    /// asks for the same ones, so setting them once is enough and harmless to share.
    /// </summary>
    private static void ConfigureSerializer()
    {
        lock (SerializerGate)
        {
            if (_serializerConfigured)
            {
                return;
            }

            GlobalConfiguration.Configuration
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
            _serializerConfigured = true;
        }
    }
}
